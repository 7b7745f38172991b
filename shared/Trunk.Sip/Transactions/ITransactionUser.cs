using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Transactions;

/// <summary>
/// The transaction user (RFC 3261 §17: the UA core or a dialog layer) as the transaction layer sees it.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A new request with its server transaction (CANCEL is handled by the layer, §9.2).</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>
    /// An ACK that belongs to no INVITE transaction in Completed: the ACK for a 2xx (§17.1.1.3,
    /// RFC 6026 §7.1). <paramref name="transaction"/> is set when it arrived in the Accepted state.
    /// </summary>
    void OnAck(SipRequest ack, SipPeer peer, ServerTransaction? transaction);

    /// <summary>A response matching no client transaction, e.g. a 2xx retransmission after Timer M (§17.1.1.2).</summary>
    void OnStrayResponse(SipResponse response, SipPeer peer);

    /// <summary>A server transaction timed out (Timer H: no ACK) or could not send (§17.2.4).</summary>
    void OnServerFailure(ServerTransaction transaction, TransactionFailure failure);
}
