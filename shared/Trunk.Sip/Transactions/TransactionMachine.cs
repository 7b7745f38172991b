using static Trunk.Sip.Transactions.TransactionAction;

namespace Trunk.Sip.Transactions;

/// <summary>
/// Runs one transaction's <see cref="TransitionTable"/>: looks up the row for (state, event), moves to its target state,
/// arms the timers it names on the injected <see cref="TimeProvider"/> and hands the remaining actions to
/// <see cref="Apply"/>. Zero-length timers (reliable transports) fire at once, after the transition that armed them. All
/// timers stop in Terminated. The transactions are machines (<see cref="ServerTransaction"/>,
/// <see cref="ClientTransaction"/>), and a machine locks itself: code that holds a transaction must not lock on it.
/// A machine outlives its final response by up to 64·T1 (Timers D, J, L, M: 32 s over UDP), so it keeps little: its
/// armed timers in two slots (no state of RFC 3261's machines runs more than two: A and B, E and F, G and H), no timer
/// callback of its own (one per timer event is shared by every machine, which is the timer's state), no object apart
/// from its transaction (an effects delegate, a machine of its own and a lock object were each one more object in
/// every lingering transaction, bench/results/b2bua.md), the queue of events raised from inside an action only while
/// there is one. The timers that end a finished transaction (D, I, J, K, L, M) wait in the
/// <see cref="TransactionClock"/>'s queues, not as timers of their own.
/// </summary>
public abstract class TransactionMachine<TMessage> : IFixedDelayTarget where TMessage : class
{
    private static readonly (TransactionAction Action, TransactionEvent Timer)[] TimerActions =
    [
        (StartTimerA, TransactionEvent.TimerA), (StartTimerB, TransactionEvent.TimerB),
        (StartTimerD, TransactionEvent.TimerD), (StartTimerE, TransactionEvent.TimerE),
        (StartTimerF, TransactionEvent.TimerF), (StartTimerG, TransactionEvent.TimerG),
        (StartTimerH, TransactionEvent.TimerH), (StartTimerI, TransactionEvent.TimerI),
        (StartTimerJ, TransactionEvent.TimerJ), (StartTimerK, TransactionEvent.TimerK),
        (StartTimerL, TransactionEvent.TimerL), (StartTimerM, TransactionEvent.TimerM),
    ];

    /// <summary>
    /// One callback per timer event, shared by every machine (the timer's state is the machine): a delegate per machine
    /// was 64 bytes more in each of the ~20,000 transactions lingering at 300 calls/s (bench/results/b2bua.md).
    /// </summary>
    private static readonly TimerCallback[] Callbacks = Enum.GetValues<TransactionEvent>()
        .Select(e => (TimerCallback)(state => ((TransactionMachine<TMessage>)state!).OnTimer(e)))
        .ToArray();

    private readonly TransitionTable _table;
    private readonly SipTimers _timers;
    private readonly bool _reliable;
    private readonly TransactionClock _clock;
    private ArmedTimer _first;
    private ArmedTimer _second;
    private Queue<(TransactionEvent Input, TMessage? Message)>? _pending;
    private TimeSpan _retransmitInterval;
    private int _lastTicket;
    private bool _running;

    private protected TransactionMachine(TransitionTable table, SipTimers timers, bool reliable, TransactionClock clock)
    {
        _table = table;
        _timers = timers;
        _reliable = reliable;
        _clock = clock;
        State = table.Initial;
        _retransmitInterval = timers.T1;
    }

    public TransactionState State { get; private set; }

    /// <summary>The actions of a transition that are not timers (send, pass up, report), after the machine took it.</summary>
    private protected abstract void Apply(Transition row, TMessage? message);

    /// <summary>
    /// Feeds an event; returns false when the table has no row for it (absorbed). An event raised
    /// from inside an action (a send that fails at once) is queued and run after the current one.
    /// </summary>
    internal bool Fire(TransactionEvent input, TMessage? message = null)
    {
        lock (this)
        {
            if (_running)
            {
                Enqueue(input, message);
                return true;
            }

            _running = true;
            try
            {
                var handled = Step(input, message);
                while (_pending is not null && _pending.TryDequeue(out var next))
                {
                    Step(next.Input, next.Message);
                }

                return handled;
            }
            finally
            {
                _running = false;
            }
        }
    }

    private bool Step(TransactionEvent input, TMessage? message)
    {
        if (!_table.TryFind(State, input, out var row))
        {
            return false;
        }

        var entered = State != row.To;
        State = row.To;
        if (State == TransactionState.Terminated)
        {
            StopAllTimers();
        }
        else
        {
            if (entered)
            {
                StopTimersWithoutRow();
            }

            ArmTimers(row.Actions, input);
        }

        Apply(row, message);
        return true;
    }

    private void ArmTimers(TransactionAction actions, TransactionEvent input)
    {
        foreach (var (action, timer) in TimerActions)
        {
            if ((actions & action) != 0)
            {
                Arm(timer, input);
            }
        }
    }

    private void Arm(TransactionEvent timer, TransactionEvent input)
    {
        var due = Duration(timer, rearm: input == timer);
        if (due is null)
        {
            return;
        }

        Take(timer).Timer?.Dispose();
        if (due.Value <= TimeSpan.Zero)
        {
            Enqueue(timer, null);
            return;
        }

        if (_first.IsArmed && _second.IsArmed)
        {
            throw new InvalidOperationException($"{timer} would be the third timer running in {State} ({_first.Event}, {_second.Event}).");
        }

        ArmedTimer armed;
        if (EndsTheTransaction(timer))
        {
            armed = new ArmedTimer(timer, null, ++_lastTicket);
            _clock.Schedule(due.Value, this, timer, armed.Ticket);
        }
        else
        {
            armed = new ArmedTimer(timer, TransactionTimer.Start(_clock.Time, Callbacks[(int)timer], this, due.Value), 0);
        }

        if (_first.IsArmed)
        {
            _second = armed;
        }
        else
        {
            _first = armed;
        }
    }

    /// <summary>
    /// The timers that only keep a finished transaction to absorb retransmissions, of one duration per layer and armed
    /// once: they go to the clock's queues.
    /// </summary>
    private static bool EndsTheTransaction(TransactionEvent timer) => timer is TransactionEvent.TimerD or TransactionEvent.TimerI
        or TransactionEvent.TimerJ or TransactionEvent.TimerK or TransactionEvent.TimerL or TransactionEvent.TimerM;

    private void Enqueue(TransactionEvent input, TMessage? message) => (_pending ??= new Queue<(TransactionEvent, TMessage?)>()).Enqueue((input, message));

    /// <summary>Removes the timer armed for <paramref name="timer"/>, if any, and returns it (default when none).</summary>
    private ArmedTimer Take(TransactionEvent timer)
    {
        var taken = default(ArmedTimer);
        if (_first.IsArmed && _first.Event == timer)
        {
            taken = _first;
            _first = _second;
            _second = default;
        }
        else if (_second.IsArmed && _second.Event == timer)
        {
            taken = _second;
            _second = default;
        }

        return taken;
    }

    private void OnTimer(TransactionEvent timer)
    {
        lock (this)
        {
            Take(timer);
        }

        Fire(timer);
    }

    void IFixedDelayTarget.OnFixedDelay(TransactionEvent timer, int ticket)
    {
        lock (this)
        {
            if (!(_first.Event == timer && _first.Ticket == ticket) && !(_second.Event == timer && _second.Ticket == ticket))
            {
                // Disarmed (the transaction ended otherwise) or armed again since: not this entry's timer any more.
                return;
            }

            Take(timer);
        }

        Fire(timer);
    }

    /// <summary>The due time of a timer, or null when it is not used on this transport.</summary>
    private TimeSpan? Duration(TransactionEvent timer, bool rearm) => timer switch
    {
        // §17.1.1.2: A starts at T1 and doubles on each retransmission; UDP only.
        TransactionEvent.TimerA => _reliable ? null : NextRetransmit(rearm, SipTimers.NextTimerA),
        // §17.1.2.2: E starts at T1, doubles up to T2, and is T2 once in Proceeding; UDP only.
        TransactionEvent.TimerE => _reliable ? null
            : State == TransactionState.Proceeding ? _timers.T2 : NextRetransmit(rearm, _timers.NextCapped),
        // §17.2.1: G starts at T1 and doubles up to T2; UDP only.
        TransactionEvent.TimerG => _reliable ? null : NextRetransmit(rearm, _timers.NextCapped),
        TransactionEvent.TimerD => _timers.TimerD(_reliable),
        TransactionEvent.TimerI => _timers.TimerI(_reliable),
        TransactionEvent.TimerJ => _timers.TimerJ(_reliable),
        TransactionEvent.TimerK => _timers.TimerK(_reliable),
        _ => _timers.TransactionTimeout, // B, F, H (§17), L, M (RFC 6026 §8.4, §8.7)
    };

    private TimeSpan NextRetransmit(bool rearm, Func<TimeSpan, TimeSpan> next)
    {
        // Arming on entry to a state uses T1; re-arming from the timer's own firing backs off.
        _retransmitInterval = rearm ? next(_retransmitInterval) : _timers.T1;
        return _retransmitInterval;
    }

    /// <summary>
    /// Stops the timers the new state has no row for: they would fire only to be absorbed (e.g. Timers A and B once an
    /// INVITE is accepted), and each would keep this transaction in the timer queue, and alive, until then.
    /// </summary>
    private void StopTimersWithoutRow()
    {
        if (_second.IsArmed && !_table.TryFind(State, _second.Event, out _))
        {
            Take(_second.Event).Timer?.Dispose();
        }

        if (_first.IsArmed && !_table.TryFind(State, _first.Event, out _))
        {
            Take(_first.Event).Timer?.Dispose();
        }
    }

    private void StopAllTimers()
    {
        _first.Timer?.Dispose();
        _second.Timer?.Dispose();
        _first = default;
        _second = default;
    }

    /// <summary>A timer of the <see cref="TransactionClock.Time"/>, or a ticket of the clock's queues.</summary>
    private readonly record struct ArmedTimer(TransactionEvent Event, ITimer? Timer, int Ticket)
    {
        public bool IsArmed => Timer is not null || Ticket != 0;
    }
}
