using Trunk.Sip.Transactions;

namespace Trunk.Sip.Tests.Transactions;

public sealed class TransitionTableTests
{
    public static TheoryData<string> Tables => ["INVITE client", "non-INVITE client", "INVITE server", "non-INVITE server"];

    private static TransitionTable Find(string name) =>
        new[] { TransactionTables.InviteClient, TransactionTables.NonInviteClient, TransactionTables.InviteServer, TransactionTables.NonInviteServer }
            .Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(Tables))]
    public void When_a_table_is_built_Should_have_one_row_per_state_and_event(string name)
    {
        var table = Find(name);

        Assert.Equal(table.Rows.Count, table.Rows.Select(r => (r.From, r.On)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void When_in_terminated_Should_absorb_every_event(string name)
    {
        var table = Find(name);

        Assert.DoesNotContain(table.Rows, r => r.From == TransactionState.Terminated);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void When_a_state_is_entered_Should_be_able_to_leave_it(string name)
    {
        var table = Find(name);
        var targets = table.Rows.Select(r => r.To).Where(s => s != TransactionState.Terminated).Distinct();

        Assert.All(targets, s => Assert.Contains(table.Rows, r => r.From == s && r.To != s));
    }
}
