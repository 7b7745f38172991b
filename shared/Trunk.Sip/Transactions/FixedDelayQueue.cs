namespace Trunk.Sip.Transactions;

/// <summary>What a <see cref="FixedDelayQueue"/> fires: a transaction machine.</summary>
internal interface IFixedDelayTarget
{
    /// <summary>The timer armed with <paramref name="ticket"/> is due; a ticket the target no longer holds was disarmed.</summary>
    void OnFixedDelay(TransactionEvent timer, int ticket);
}

/// <summary>
/// Timers of one duration in arming order, which is due order: one <see cref="ITimer"/> armed for the head fires every
/// entry due by then, in order, and is armed again for the next. An entry is not removed when its timer is disarmed:
/// its target finds the ticket stale when it fires.
/// </summary>
internal sealed class FixedDelayQueue
{
    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly long _delay;
    private readonly ITimer _timer;
    private bool _armed;
    private bool _draining;

    public FixedDelayQueue(TimeProvider time, TimeSpan delay)
    {
        _time = time;
        _delay = (long)((Int128)delay.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond);
        _timer = TransactionTimer.Start(time, static state => ((FixedDelayQueue)state!).Drain(), this, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public void Add(IFixedDelayTarget target, TransactionEvent timer, int ticket)
    {
        lock (_gate)
        {
            _entries.Enqueue(new Entry(_time.GetTimestamp() + _delay, target, timer, ticket));
            if (!_armed && !_draining)
            {
                ArmFor(_entries.Peek().Due);
            }
        }
    }

    private void Drain()
    {
        lock (_gate)
        {
            _armed = false;
            if (_draining)
            {
                // The drain under way arms the timer again when it ends.
                return;
            }

            _draining = true;
        }

        try
        {
            var now = _time.GetTimestamp();
            while (TakeDue(now) is { } due)
            {
                due.Target.OnFixedDelay(due.Timer, due.Ticket);
            }
        }
        finally
        {
            lock (_gate)
            {
                _draining = false;
                if (_entries.TryPeek(out var next))
                {
                    ArmFor(next.Due);
                }
            }
        }
    }

    private Entry? TakeDue(long now)
    {
        lock (_gate)
        {
            return _entries.TryPeek(out var head) && head.Due <= now ? _entries.Dequeue() : null;
        }
    }

    /// <summary>Arms the timer for a due timestamp, rounded up so that it never fires before the head is due.</summary>
    private void ArmFor(long due)
    {
        var left = Math.Max(0, due - _time.GetTimestamp());
        var ticks = (long)(((Int128)left * TimeSpan.TicksPerSecond + _time.TimestampFrequency - 1) / _time.TimestampFrequency);
        _armed = true;
        _timer.Change(TimeSpan.FromTicks(ticks), Timeout.InfiniteTimeSpan);
    }

    private readonly record struct Entry(long Due, IFixedDelayTarget Target, TransactionEvent Timer, int Ticket);
}
