using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>
/// The timers that end a finished transaction (D, I, J, K, L, M) wait in one queue per duration with one timer armed for
/// its head (bench/results/b2bua.md): they must still fire each at its own due time, in order, and not at all once
/// disarmed.
/// </summary>
public sealed class TransactionClockTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void When_timers_of_one_duration_are_armed_apart_Should_fire_each_at_its_own_due_time_in_arming_order()
    {
        var clock = new TransactionClock(_time);
        var fired = new List<(TimeSpan At, int Ticket)>();
        var start = _time.GetUtcNow();
        var target = new RecordingTarget(ticket => fired.Add((_time.GetUtcNow() - start, ticket)));
        for (var ticket = 1; ticket <= 3; ticket++)
        {
            clock.Schedule(TimeSpan.FromSeconds(32), target, TimerJ, ticket);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Advance(TimeSpan.FromMilliseconds(31_969));
        Assert.Empty(fired);
        Advance(TimeSpan.FromMilliseconds(30));

        Assert.Equal(
            [(TimeSpan.FromMilliseconds(32_000), 1), (TimeSpan.FromMilliseconds(32_010), 2), (TimeSpan.FromMilliseconds(32_020), 3)],
            fired);
        Assert.Equal(0, clock.Waiting);
    }

    [Fact]
    public void When_durations_differ_Should_keep_a_queue_for_each_so_a_shorter_timer_armed_later_fires_first()
    {
        var clock = new TransactionClock(_time);
        var fired = new List<int>();
        var target = new RecordingTarget(fired.Add);
        clock.Schedule(TimeSpan.FromSeconds(32), target, TimerL, 1);
        clock.Schedule(TimeSpan.FromSeconds(5), target, TimerK, 2);

        Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([2], fired);
        Advance(TimeSpan.FromSeconds(27));
        Assert.Equal([2, 1], fired);
    }

    [Fact]
    public void When_a_finished_transaction_ends_otherwise_Should_not_fire_its_timer_and_release_the_entry_when_due()
    {
        var h = MachineHarness.Started(TransactionTables.NonInviteServer);
        h.Machine.Fire(TuSuccess, "200");
        Assert.Equal(1, h.TransactionClock.Waiting);

        h.Machine.Fire(TransportError);
        Assert.Equal(Terminated, h.State);
        h.Advance(TimeSpan.FromSeconds(32));

        Assert.DoesNotContain(h.Log, e => e.Row.On == TimerJ);
        Assert.Equal(0, h.TransactionClock.Waiting);
    }

    [Fact]
    public void When_many_transactions_linger_Should_end_each_at_64_T1_after_its_own_final_response()
    {
        var clock = new TransactionClock(_time);
        var machines = new List<TransactionMachine<string>>();
        for (var i = 0; i < 50; i++)
        {
            var machine = new TestMachine(TransactionTables.InviteClient, new SipTimers(), false, clock, (_, _) => { });
            machine.Fire(Start);
            machine.Fire(Success, "200");
            machines.Add(machine);
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.All(machines, m => Assert.Equal(Accepted, m.State));
        // One second of arming behind: the first is due in 31 s.
        Advance(TimeSpan.FromMilliseconds(30_999));
        Assert.Equal(50, machines.Count(m => m.State == Accepted));
        Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(25, machines.Count(m => m.State == Terminated));
        Assert.Equal(machines.Take(25), machines.Where(m => m.State == Terminated));
        Advance(TimeSpan.FromMilliseconds(500));
        Assert.All(machines, m => Assert.Equal(Terminated, m.State));
        Assert.Equal(0, clock.Waiting);
    }

    /// <summary>FakeTimeProvider runs the callbacks due by the end of one Advance call: 1 ms steps keep each at its time.</summary>
    private void Advance(TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromMilliseconds(1))
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    private sealed class RecordingTarget(Action<int> fired) : IFixedDelayTarget
    {
        public void OnFixedDelay(TransactionEvent timer, int ticket) => fired(ticket);
    }
}
