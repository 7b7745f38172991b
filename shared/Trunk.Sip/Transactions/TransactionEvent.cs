namespace Trunk.Sip.Transactions;

/// <summary>The inputs of the transaction machines: messages, TU requests and timers.</summary>
public enum TransactionEvent
{
    /// <summary>The transaction is created (client: request sent; server: request received).</summary>
    Start,
    /// <summary>Client: a 1xx arrived.</summary>
    Provisional,
    /// <summary>Client: a 2xx arrived.</summary>
    Success,
    /// <summary>Client: a 300–699 arrived.</summary>
    Failure,
    /// <summary>Server: the request arrived again.</summary>
    RequestRetransmission,
    /// <summary>Server (INVITE): an ACK matched the transaction.</summary>
    Ack,
    /// <summary>Server: the TU sends a 1xx.</summary>
    TuProvisional,
    /// <summary>Server: the TU sends a 2xx.</summary>
    TuSuccess,
    /// <summary>Server: the TU sends a 300–699.</summary>
    TuFailure,
    TimerA,
    TimerB,
    TimerD,
    TimerE,
    TimerF,
    TimerG,
    TimerH,
    TimerI,
    TimerJ,
    TimerK,
    TimerL,
    TimerM,
    /// <summary>The transport failed to send (§17.1.4, §17.2.4).</summary>
    TransportError,
}
