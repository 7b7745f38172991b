namespace Trunk.Sip.Transactions;

/// <summary>What a transition does, besides moving to its target state.</summary>
[Flags]
public enum TransactionAction
{
    None = 0,
    /// <summary>Send (or retransmit) the request.</summary>
    SendRequest = 1 << 0,
    /// <summary>Pass the message that caused the event up to the TU.</summary>
    PassToTu = 1 << 1,
    /// <summary>Client INVITE: send ACK for a 300–699 (§17.1.1.3).</summary>
    SendAck = 1 << 2,
    /// <summary>Server: send the response the TU handed down.</summary>
    SendResponse = 1 << 3,
    /// <summary>Server: send the last response again.</summary>
    ResendResponse = 1 << 4,
    /// <summary>Server INVITE: send 100 Trying at once (§17.2.1).</summary>
    SendTrying = 1 << 5,
    StartTimerA = 1 << 6,
    StartTimerB = 1 << 7,
    StartTimerD = 1 << 8,
    StartTimerE = 1 << 9,
    StartTimerF = 1 << 10,
    StartTimerG = 1 << 11,
    StartTimerH = 1 << 12,
    StartTimerI = 1 << 13,
    StartTimerJ = 1 << 14,
    StartTimerK = 1 << 15,
    StartTimerL = 1 << 16,
    StartTimerM = 1 << 17,
    /// <summary>Tell the TU the transaction timed out (timers B, F; H for a missing ACK).</summary>
    ReportTimeout = 1 << 18,
    /// <summary>Tell the TU the transport failed.</summary>
    ReportTransportError = 1 << 19,
}
