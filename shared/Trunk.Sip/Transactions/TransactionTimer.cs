namespace Trunk.Sip.Transactions;

/// <summary>One-shot timers of the transaction layer, armed without the caller's execution context.</summary>
internal static class TransactionTimer
{
    /// <summary>
    /// A timer keeps the execution context it was created in until it fires or is disposed: with Timers L, M and J
    /// (32 s over UDP) every finished call kept its request's Activity (and its tags) alive that long, one per
    /// transaction in a heap snapshot of the B2BUA bench (bench/results/b2bua.md), all of it promoted to generation 2.
    /// The callbacks only drive the transaction machines, which need nothing from that context.
    /// </summary>
    public static ITimer Start(TimeProvider time, TimerCallback callback, TimeSpan due) => Start(time, callback, null, due);

    public static ITimer Start(TimeProvider time, TimerCallback callback, object? state, TimeSpan due)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return time.CreateTimer(callback, state, due, Timeout.InfiniteTimeSpan);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return time.CreateTimer(callback, state, due, Timeout.InfiniteTimeSpan);
        }
    }
}
