using static Trunk.Sip.Transactions.TransactionAction;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Transactions;

/// <summary>
/// The four transaction machines of RFC 3261 §17 as explicit state × event tables, with the
/// Accepted state that RFC 6026 adds to both INVITE machines. Timers A, E and G are only armed
/// over unreliable transports; the machine skips them otherwise (§17.1.1.2, §17.1.2.2, §17.2.1).
/// </summary>
public static class TransactionTables
{
    /// <summary>INVITE client transaction: RFC 3261 §17.1.1 (Figure 5) as amended by RFC 6026 §7.2 (Figure 3).</summary>
    public static TransitionTable InviteClient { get; } = new("INVITE client", Calling,
    [
        new(Calling, Start, Calling, SendRequest | StartTimerA | StartTimerB),      // §17.1.1.2: send INVITE, start A (UDP) and B
        new(Calling, TimerA, Calling, SendRequest | StartTimerA),                  // §17.1.1.2: retransmit, A doubles
        new(Calling, TimerB, Terminated, ReportTimeout),                           // §17.1.1.2: B fires: timeout to TU
        new(Calling, Provisional, Proceeding, PassToTu),                           // §17.1.1.2: 1xx → Proceeding
        new(Calling, Success, Accepted, PassToTu | StartTimerM),                   // RFC 6026 §8.4: 2xx → Accepted, start M
        new(Calling, Failure, Completed, PassToTu | SendAck | StartTimerD),        // §17.1.1.2: 300–699 → ACK, Completed, start D
        new(Calling, TransportError, Terminated, ReportTransportError),            // §17.1.4
        new(Proceeding, Provisional, Proceeding, PassToTu),                        // §17.1.1.2: further 1xx to TU
        new(Proceeding, Success, Accepted, PassToTu | StartTimerM),                // RFC 6026 §8.4
        new(Proceeding, Failure, Completed, PassToTu | SendAck | StartTimerD),     // §17.1.1.2
        new(Proceeding, TransportError, Terminated, ReportTransportError),         // §17.1.4
        new(Completed, Failure, Completed, SendAck),                               // §17.1.1.2: final retransmission: ACK again, not to TU
        new(Completed, TransportError, Terminated, ReportTransportError),          // §17.1.1.2: ACK could not be sent
        new(Completed, TimerD, Terminated, None),                                  // §17.1.1.2: D fires
        new(Accepted, Success, Accepted, PassToTu),                                // RFC 6026 §8.4: 2xx retransmissions go to the TU (it ACKs)
        new(Accepted, TimerM, Terminated, None),                                   // RFC 6026 §8.4: M fires
    ]);

    /// <summary>Non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).</summary>
    public static TransitionTable NonInviteClient { get; } = new("non-INVITE client", Trying,
    [
        new(Trying, Start, Trying, SendRequest | StartTimerE | StartTimerF),        // §17.1.2.2: send request, start E (UDP) and F
        new(Trying, TimerE, Trying, SendRequest | StartTimerE),                    // §17.1.2.2: retransmit, E = min(2E, T2)
        new(Trying, TimerF, Terminated, ReportTimeout),                            // §17.1.2.2: F fires: timeout to TU
        new(Trying, Provisional, Proceeding, PassToTu),                            // §17.1.2.2: 1xx → Proceeding
        new(Trying, Success, Completed, PassToTu | StartTimerK),                   // §17.1.2.2: final → Completed, start K
        new(Trying, Failure, Completed, PassToTu | StartTimerK),                   // §17.1.2.2
        new(Trying, TransportError, Terminated, ReportTransportError),             // §17.1.4
        new(Proceeding, TimerE, Proceeding, SendRequest | StartTimerE),            // §17.1.2.2: retransmit every T2
        new(Proceeding, TimerF, Terminated, ReportTimeout),                        // §17.1.2.2
        new(Proceeding, Provisional, Proceeding, PassToTu),                        // §17.1.2.2
        new(Proceeding, Success, Completed, PassToTu | StartTimerK),               // §17.1.2.2
        new(Proceeding, Failure, Completed, PassToTu | StartTimerK),               // §17.1.2.2
        new(Proceeding, TransportError, Terminated, ReportTransportError),         // §17.1.4
        new(Completed, TimerK, Terminated, None),                                  // §17.1.2.2: K fires (final retransmissions absorbed until then)
    ]);

    /// <summary>INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) as amended by RFC 6026 §7.1 (Figure 5).</summary>
    public static TransitionTable InviteServer { get; } = new("INVITE server", Proceeding,
    [
        new(Proceeding, Start, Proceeding, PassToTu | SendTrying),                 // §17.2.1: INVITE to TU, 100 Trying at once
        new(Proceeding, RequestRetransmission, Proceeding, ResendResponse),        // §17.2.1: resend the last provisional
        new(Proceeding, TuProvisional, Proceeding, SendResponse),                  // §17.2.1
        new(Proceeding, TuSuccess, Accepted, SendResponse | StartTimerL),          // RFC 6026 §8.5: 2xx → Accepted, start L
        new(Proceeding, TuFailure, Completed, SendResponse | StartTimerG | StartTimerH), // §17.2.1: 300–699 → Completed, G (UDP) and H
        new(Proceeding, TransportError, Terminated, ReportTransportError),         // §17.2.4
        new(Completed, RequestRetransmission, Completed, ResendResponse),          // §17.2.1: resend the final response
        new(Completed, TimerG, Completed, ResendResponse | StartTimerG),           // §17.2.1: G = min(2G, T2)
        new(Completed, TimerH, Terminated, ReportTimeout),                         // §17.2.1: no ACK: tell the TU
        new(Completed, Ack, Confirmed, StartTimerI),                               // §17.2.1: ACK → Confirmed, start I
        new(Completed, TransportError, Terminated, ReportTransportError),          // §17.2.4
        new(Confirmed, TimerI, Terminated, None),                                  // §17.2.1: I fires (ACKs absorbed until then)
        new(Accepted, TuSuccess, Accepted, SendResponse),                          // RFC 6026 §8.7: the TU's 2xx retransmissions pass through
        new(Accepted, Ack, Accepted, PassToTu),                                    // RFC 6026 §8.7: ACK to the TU
        new(Accepted, TimerL, Terminated, None),                                   // RFC 6026 §8.7: L fires (INVITE retransmissions absorbed)
    ]);

    /// <summary>Non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).</summary>
    public static TransitionTable NonInviteServer { get; } = new("non-INVITE server", Trying,
    [
        new(Trying, Start, Trying, PassToTu),                                      // §17.2.2: request to TU
        new(Trying, TuProvisional, Proceeding, SendResponse),                      // §17.2.2: 1xx → Proceeding
        new(Trying, TuSuccess, Completed, SendResponse | StartTimerJ),             // §17.2.2: final → Completed, start J
        new(Trying, TuFailure, Completed, SendResponse | StartTimerJ),             // §17.2.2
        new(Proceeding, RequestRetransmission, Proceeding, ResendResponse),        // §17.2.2: resend the last provisional
        new(Proceeding, TuProvisional, Proceeding, SendResponse),                  // §17.2.2
        new(Proceeding, TuSuccess, Completed, SendResponse | StartTimerJ),         // §17.2.2
        new(Proceeding, TuFailure, Completed, SendResponse | StartTimerJ),         // §17.2.2
        new(Proceeding, TransportError, Terminated, ReportTransportError),         // §17.2.4
        new(Completed, RequestRetransmission, Completed, ResendResponse),          // §17.2.2: resend the final response
        new(Completed, TransportError, Terminated, ReportTransportError),          // §17.2.4
        new(Completed, TimerJ, Terminated, None),                                  // §17.2.2: J fires (later TU finals discarded)
    ]);
}
