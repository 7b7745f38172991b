using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>
/// What a client transaction reports to the one that started it (<see cref="TransactionLayer.Send"/>): one reference a
/// transaction, not a delegate for each callback (a finished INVITE keeps its owner 32 s, Timer M).
/// </summary>
public interface IClientTransactionOwner
{
    /// <summary>A response the transaction passes up: provisional, final, or (Accepted, RFC 6026 §8.4) a later 2xx.</summary>
    void OnResponse(ClientTransaction transaction, SipResponse response);

    void OnFailure(ClientTransaction transaction, TransactionFailure failure);

    /// <summary>
    /// Who gets what the transaction passes up after its final response: this owner, or one that outlives it (a finished
    /// INVITE keeps its owner 32 s, Timer M, and a request's own state need not linger with it).
    /// </summary>
    IClientTransactionOwner Successor { get; }
}
