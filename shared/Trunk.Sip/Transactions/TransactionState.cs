namespace Trunk.Sip.Transactions;

/// <summary>The states of the four transaction machines (RFC 3261 §17, RFC 6026 §7.1, §7.2).</summary>
public enum TransactionState
{
    Calling,
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}
