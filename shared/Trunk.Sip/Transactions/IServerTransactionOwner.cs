using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>What a server transaction reports to the layer that created it.</summary>
internal interface IServerTransactionOwner
{
    void OnRequest(ServerTransaction transaction);

    void OnAck(ServerTransaction transaction, SipRequest ack);

    void OnFailure(ServerTransaction transaction, TransactionFailure failure);

    void OnTerminated(ServerTransaction transaction);
}
