using Marten;
using Npgsql;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Testing;
using Weasel.Core;

namespace Trunk.CallHistory.Tests.Api;

/// <summary>
/// <c>GET /calls</c> filters on columns of their own. Builds before them indexed the same four fields as jsonb
/// expressions: a schema they made, with its summaries, must come out of this build's schema update with the columns
/// filled, so that the calls it already held are still found.
/// </summary>
public sealed class CallFilterColumnsTests
{
    [Fact]
    public async Task When_a_schema_of_an_earlier_build_is_updated_Should_find_its_calls_by_every_filter()
    {
        var schema = $"callhistory_test_{Guid.NewGuid().ToString("N")[..10]}";
        var call = new TransferredCall(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero), "+15558300001");
        var summary = call.Events.Aggregate(new CallSummary { Id = call.CallId }, CallSummaryProjection.Fold);
        try
        {
            await StoreAsEarlierBuildsDidAsync(schema, summary);

            await using var host = CallHistoryHost.OnSchema(schema, runDaemon: false);
            await host.InitializeAsync();

            var range = $"from={Uri.EscapeDataString(call.Start.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(call.Start.AddMinutes(1).ToString("O"))}";
            var filtered = await host.GetAsync<CallPage>(
                $"/calls?did={Uri.EscapeDataString(call.Did)}&account={call.AccountId}&outcome={summary.HangupCause}&{range}");
            Assert.Equal(call.CallId, Assert.Single(filtered.Calls).Id);
            Assert.Empty((await host.GetAsync<CallPage>($"/calls?did={Uri.EscapeDataString(call.Did)}&outcome=busy")).Calls);
            Assert.DoesNotContain(await IndexDefinitionsAsync(schema), d => d.Contains("data ->>", StringComparison.Ordinal));
        }
        finally
        {
            await CallHistoryHost.DropSchemaAsync(schema);
        }
    }

    /// <summary>The summaries' mapping of earlier builds: the four filters as jsonb expression indexes, no columns.</summary>
    private static async Task StoreAsEarlierBuildsDidAsync(string schema, CallSummary summary)
    {
        using var store = DocumentStore.For(o =>
        {
            o.Connection(TestInfrastructure.PostgresConnectionString);
            o.DatabaseSchemaName = schema;
            o.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            o.Schema.For<CallSummary>().Index(c => c.StartedAt).Index(c => c.Did).Index(c => c.AccountId).Index(c => c.HangupCause);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.LightweightSession();
        session.Store(summary);
        await session.SaveChangesAsync();
    }

    private static async Task<IReadOnlyList<string>> IndexDefinitionsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select indexdef from pg_indexes where schemaname = $1 and tablename = 'mt_doc_callsummary'", connection)
        {
            Parameters = { new() { Value = schema } },
        };
        var definitions = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0));
        }

        Assert.NotEmpty(definitions);
        return definitions;
    }
}
