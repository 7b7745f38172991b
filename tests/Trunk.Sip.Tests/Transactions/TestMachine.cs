using Trunk.Sip.Transactions;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>A bare transaction machine over strings: the transition's actions go to <paramref name="apply"/>.</summary>
internal sealed class TestMachine(TransitionTable table, SipTimers timers, bool reliable, TransactionClock clock,
    Action<Transition, string?> apply) : TransactionMachine<string>(table, timers, reliable, clock)
{
    private protected override void Apply(Transition row, string? message) => apply(row, message);
}
