using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Transactions;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>Drives a bare <see cref="TransactionMachine{TMessage}"/> on a fake clock and records what it did.</summary>
internal sealed class MachineHarness
{
    public MachineHarness(TransitionTable table, bool reliable = false)
    {
        TransactionClock = new TransactionClock(Clock);
        Machine = new TestMachine(table, Timers, reliable, TransactionClock, (row, _) => Log.Add((Clock.GetUtcNow() - Start, row)));
    }

    public SipTimers Timers { get; } = new();

    public FakeTimeProvider Clock { get; } = new();

    /// <summary>The machine's clock: its queues hold the timers that end a finished transaction (D, I, J, K, L, M).</summary>
    public TransactionClock TransactionClock { get; }

    public DateTimeOffset Start => new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TransactionMachine<string> Machine { get; }

    public List<(TimeSpan At, Transition Row)> Log { get; } = [];

    public TransactionState State => Machine.State;

    public IEnumerable<TimeSpan> TimesOf(TransactionAction action) =>
        Log.Where(e => (e.Row.Actions & action) != 0).Select(e => e.At);

    /// <summary>Advances in 1 ms steps: FakeTimeProvider runs callbacks at the end time of one Advance call.</summary>
    public void Advance(TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromMilliseconds(1))
        {
            Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    public static MachineHarness Started(TransitionTable table, bool reliable = false)
    {
        var harness = new MachineHarness(table, reliable);
        harness.Clock.SetUtcNow(harness.Start);
        harness.Machine.Fire(TransactionEvent.Start);
        return harness;
    }
}
