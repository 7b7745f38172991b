using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>Drives each machine into every row's source state, fires the row's event, and checks the target state.</summary>
public sealed class EveryTransitionTests
{
    private static readonly Dictionary<(string Table, TransactionState State), TransactionEvent[]> Paths = new()
    {
        [("INVITE client", Calling)] = [Start],
        [("INVITE client", Proceeding)] = [Start, Provisional],
        [("INVITE client", Completed)] = [Start, Failure],
        [("INVITE client", Accepted)] = [Start, Success],
        [("non-INVITE client", Trying)] = [Start],
        [("non-INVITE client", Proceeding)] = [Start, Provisional],
        [("non-INVITE client", Completed)] = [Start, Success],
        [("INVITE server", Proceeding)] = [Start],
        [("INVITE server", Completed)] = [Start, TuFailure],
        [("INVITE server", Confirmed)] = [Start, TuFailure, Ack],
        [("INVITE server", Accepted)] = [Start, TuSuccess],
        [("non-INVITE server", Trying)] = [Start],
        [("non-INVITE server", Proceeding)] = [Start, TuProvisional],
        [("non-INVITE server", Completed)] = [Start, TuSuccess],
    };

    private static readonly TransitionTable[] Tables =
        [TransactionTables.InviteClient, TransactionTables.NonInviteClient, TransactionTables.InviteServer, TransactionTables.NonInviteServer];

    public static TheoryData<string, int> Rows()
    {
        var data = new TheoryData<string, int>();
        foreach (var table in Tables)
        {
            for (var i = 0; i < table.Rows.Count; i++)
            {
                data.Add(table.Name, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void When_the_rows_event_fires_in_its_state_Should_reach_the_rows_target(string tableName, int index)
    {
        var table = Tables.Single(t => t.Name == tableName);
        var row = table.Rows[index];
        var harness = new MachineHarness(table);
        var path = row.On == Start ? [] : Paths[(tableName, row.From)];
        foreach (var step in path)
        {
            harness.Machine.Fire(step, "m");
        }

        Assert.Equal(row.From, harness.State);
        Assert.True(harness.Machine.Fire(row.On, "m"));

        Assert.Equal(row.To, harness.State);
        Assert.Equal(row, harness.Log[^1].Row);
    }
}
