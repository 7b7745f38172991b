namespace Trunk.Sip.Transactions;

/// <summary>
/// Timer values of RFC 3261 §17 and Table 4, with RFC 6026's L and M. Values for timers that
/// only absorb retransmissions (D, I, J, K) collapse to zero over reliable transports.
/// </summary>
public sealed record SipTimers
{
    /// <summary>RTT estimate (§17.1.1.1): 500 ms.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses: 4 s.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum duration a message remains in the network: 5 s.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>64*T1: timers B, F, H, J (over UDP), L and M (RFC 6026 §8.4, §8.7).</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>Timer D (§17.1.1.2): at least 32 s over UDP, zero over reliable transports.</summary>
    public TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : TimeSpan.FromSeconds(32);

    /// <summary>Timer I (§17.2.1): T4 over UDP, zero over reliable transports.</summary>
    public TimeSpan TimerI(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>Timer J (§17.2.2): 64*T1 over UDP, zero over reliable transports.</summary>
    public TimeSpan TimerJ(bool reliable) => reliable ? TimeSpan.Zero : TransactionTimeout;

    /// <summary>Timer K (§17.1.2.2): T4 over UDP, zero over reliable transports.</summary>
    public TimeSpan TimerK(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>Next timer A interval (§17.1.1.2): doubles each time.</summary>
    public static TimeSpan NextTimerA(TimeSpan current) => current * 2;

    /// <summary>Next timer E or G interval (§17.1.2.2, §17.2.1): doubles up to T2.</summary>
    public TimeSpan NextCapped(TimeSpan current) => current * 2 < T2 ? current * 2 : T2;
}
