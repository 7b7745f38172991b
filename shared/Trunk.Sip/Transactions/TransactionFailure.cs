namespace Trunk.Sip.Transactions;

/// <summary>Why a transaction ended without its normal outcome.</summary>
public enum TransactionFailure
{
    /// <summary>Timer B or F (client, §17.1), or H (server: no ACK, §17.2.1).</summary>
    Timeout,
    /// <summary>The transport could not send (§17.1.4, §17.2.4).</summary>
    TransportError,
}
