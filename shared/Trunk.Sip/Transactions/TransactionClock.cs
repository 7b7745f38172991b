using System.Collections.Concurrent;

namespace Trunk.Sip.Transactions;

/// <summary>
/// The time of one transaction layer. Retransmission and timeout timers (A, B, E, F, G, H) each run on the
/// <see cref="TimeProvider"/>; the timers that only keep a finished transaction to absorb retransmissions (D, I, J, K,
/// L, M) wait in a <see cref="FixedDelayQueue"/>, one per duration, each with a single timer armed for its head.
/// </summary>
/// <remarks>
/// At 300 calls/s ~20,000 finished transactions wait out these timers (32 s over UDP), and each was a timer of the
/// runtime's queue (a <c>TimerQueueTimer</c> and its wrapper, ~120 bytes, two objects) that went to generation 2 with
/// it (bench/results/b2bua.md). A queue entry is a slot of an array reused all along. These timers are armed once per
/// transaction and never re-armed, and a duration is the same for every transaction of the layer, so each queue is in
/// due order.
/// </remarks>
internal sealed class TransactionClock
{
    private readonly ConcurrentDictionary<TimeSpan, FixedDelayQueue> _queues = new();

    public TransactionClock(TimeProvider time)
    {
        Time = time;
    }

    public TimeProvider Time { get; }

    /// <summary>Fires <paramref name="timer"/> with <paramref name="ticket"/> on the target once <paramref name="delay"/> has passed.</summary>
    internal void Schedule(TimeSpan delay, IFixedDelayTarget target, TransactionEvent timer, int ticket) =>
        _queues.GetOrAdd(delay, static (d, time) => new FixedDelayQueue(time, d), Time).Add(target, timer, ticket);

    /// <summary>Entries waiting in all queues, fired or not yet dropped (for tests).</summary>
    internal int Waiting => _queues.Values.Sum(q => q.Count);
}
