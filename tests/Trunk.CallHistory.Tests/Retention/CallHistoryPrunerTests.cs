using System.Globalization;
using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.Retention;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Retention;

/// <summary>
/// Calls that started longer ago than <c>CallHistory:Retention</c> (90 days here) are deleted with everything of theirs,
/// a bounded batch per transaction, once the daemon has passed their events; younger calls are kept whole, and the
/// daemon goes on projecting.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CallHistoryPrunerTests(RetentionHost fixture) : IClassFixture<RetentionHost>
{
    /// <summary>Every table that holds a call's rows; the SIP trace documents are those of earlier builds (the trace is now read from the stream).</summary>
    private static readonly string[] CallTables = ["mt_events", "mt_streams", "mt_doc_callsummary", "mt_doc_calloutcome", "mt_doc_siptrace"];

    private CallHistoryHost Host => fixture.Host;

    private CallHistoryPruner Pruner => Host.Services.GetRequiredService<CallHistoryPruner>();

    [Fact]
    public async Task When_calls_started_before_the_retention_Should_delete_them_from_every_table_and_api_and_keep_the_younger_ones_whole()
    {
        await PruneLeftoversAsync();
        var now = TimeProvider.System.GetUtcNow();
        var did = "+1555700" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);

        // A call whose CallReceived never came (only its SIP trace) started when its first event was stored: 100 days ago.
        var undatedOld = new TransferredCall(now.AddDays(-100), did);
        await Host.PublishAsync(undatedOld.Events.OfType<SipMessagesTraced>().First());
        await Host.WaitForEventsAsync(undatedOld.CallId, 1);
        await StoredDaysAgoAsync(undatedOld.CallId, 100);

        var old = new TransferredCall(now.AddDays(-91), did);
        var young = new TransferredCall(now.AddDays(-89), did);
        var undatedYoung = new TransferredCall(now, did);
        await Host.PublishAllAsync(old.Events);
        await Host.PublishAllAsync(young.Events);
        await Host.PublishAsync(undatedYoung.Events.OfType<SipMessagesTraced>().First());
        await Host.WaitForEventsAsync(old.CallId, old.Events.Count);
        var youngSummary = await Host.WaitForEventsAsync(young.CallId, young.Events.Count);
        await Host.WaitForEventsAsync(undatedYoung.CallId, 1);
        await Host.WaitForDaemonAsync();
        await StoreEarlierSipTracesAsync(old.CallId, undatedOld.CallId, young.CallId);
        Assert.All(await RowsAsync(old.CallId), row => Assert.True(row.Item2 > 0, $"{row.Item1} held no row of the old call before the prune."));
        var youngRows = await RowsAsync(young.CallId);
        var youngTrace = await Host.Http.GetStringAsync(new Uri($"/calls/{young.CallId}/sip-trace?format=text", UriKind.Relative));
        var before = await PrunedMetricAsync(_ => true);

        var pruned = await Pruner.PruneCallsAsync(CancellationToken.None);

        Assert.Equal(2, pruned.Calls);
        foreach (var call in new[] { old.CallId, undatedOld.CallId })
        {
            Assert.Equal(CallTables.Select(t => (t, 0L)), await RowsAsync(call));
            foreach (var path in new[] { "", "/events", "/sip-trace" })
            {
                using var response = await Host.Http.GetAsync(new Uri($"/calls/{call}{path}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }

        Assert.Equal(youngRows, await RowsAsync(young.CallId));
        Assert.Equal(1L, await CountAsync("mt_events", undatedYoung.CallId));
        Assert.Equal(
            CallSummaryJson(youngSummary),
            CallSummaryJson(await Host.GetAsync<CallSummary>($"/calls/{young.CallId}")));
        Assert.Equal(youngTrace, await Host.Http.GetStringAsync(new Uri($"/calls/{young.CallId}/sip-trace?format=text", UriKind.Relative)));
        var listed = await Host.GetAsync<CallPage>($"/calls?did={Uri.EscapeDataString(did)}&from={Uri.EscapeDataString(now.AddDays(-120).ToString("O"))}");
        Assert.Equal([young.CallId], listed.Calls.Select(c => c.Id));
        await PrunedMetricAsync(after => after >= before + 2);
    }

    [Fact]
    public async Task When_more_old_calls_than_a_batch_Should_delete_them_a_bounded_batch_per_transaction()
    {
        await PruneLeftoversAsync();
        var start = TimeProvider.System.GetUtcNow().AddDays(-95);
        var calls = Enumerable.Range(0, CallHistoryPruner.BatchSize + 1).Select(i => new TransferredCall(start.AddSeconds(i), "+15557000000")).ToList();
        foreach (var call in calls)
        {
            await Host.PublishAsync(call.Received);
        }

        await WaitForAllAsync(calls);
        await Host.WaitForDaemonAsync();

        var pruned = await Pruner.PruneCallsAsync(CancellationToken.None);

        Assert.Equal(new CallsPruned(CallHistoryPruner.BatchSize + 1, 2), pruned);
        Assert.Equal(0L, await CountAnyAsync("mt_doc_callsummary", calls.Select(c => c.CallId).ToArray()));
    }

    [Fact]
    public async Task When_instances_prune_at_once_Should_delete_each_call_once_and_count_it_once()
    {
        await PruneLeftoversAsync();
        var start = TimeProvider.System.GetUtcNow().AddDays(-120);
        var calls = Enumerable.Range(0, 300).Select(i => new TransferredCall(start.AddSeconds(i), "+15557000004")).ToList();
        foreach (var call in calls)
        {
            await Host.PublishAsync(call.Received);
        }

        await WaitForAllAsync(calls);
        await Host.WaitForDaemonAsync();

        var pruned = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Pruner.PruneCallsAsync(CancellationToken.None))));

        Assert.Equal(calls.Count, pruned.Sum(p => p.Calls));
        Assert.Equal(0L, await CountAnyAsync("mt_streams", calls.Select(c => c.CallId).ToArray()));
    }

    [Fact]
    public async Task After_a_prune_Should_the_daemon_go_on_projecting_new_calls()
    {
        var now = TimeProvider.System.GetUtcNow();
        var old = new TransferredCall(now.AddDays(-200), "+15557000001");
        await Host.PublishAllAsync(old.Events);
        await Host.WaitForEventsAsync(old.CallId, old.Events.Count);
        await Host.WaitForDaemonAsync();
        Assert.True((await Pruner.PruneCallsAsync(CancellationToken.None)).Calls >= 1);

        var fresh = new TransferredCall(now, "+15557000002");
        await Host.PublishAllAsync(fresh.Events);
        var summary = await Host.WaitForEventsAsync(fresh.CallId, fresh.Events.Count);
        await Host.WaitForDaemonAsync();

        await using var session = Host.Store.QuerySession();
        var outcome = await session.LoadAsync<CallOutcome>(fresh.CallId);
        Assert.NotNull(outcome);
        Assert.Equal(CallSummaryJson(CallOutcome.From(summary)), CallSummaryJson(outcome));
        Assert.Null(await session.LoadAsync<CallOutcome>(old.CallId));
    }

    [Fact]
    public async Task When_the_daemon_has_not_passed_an_old_calls_events_Should_keep_the_call()
    {
        var schema = $"callhistory_retention_{Guid.NewGuid().ToString("N")[..10]}";
        try
        {
            await using var recorderOnly = CallHistoryHost.OnSchema(schema, runDaemon: false, new Dictionary<string, string?> { ["CallHistory:Retention"] = "90.00:00:00" });
            await recorderOnly.InitializeAsync();
            var old = new TransferredCall(TimeProvider.System.GetUtcNow().AddDays(-91), "+15557000003");
            await recorderOnly.PublishAllAsync(old.Events);
            await recorderOnly.WaitForEventsAsync(old.CallId, old.Events.Count);

            var pruned = await recorderOnly.Services.GetRequiredService<CallHistoryPruner>().PruneCallsAsync(CancellationToken.None);

            Assert.Equal(new CallsPruned(0, 0, WaitingForDaemon: true), pruned);
            Assert.Equal(old.CallId, (await recorderOnly.GetAsync<CallSummary>($"/calls/{old.CallId}")).Id);
        }
        finally
        {
            await CallHistoryHost.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task When_the_retention_is_out_of_range_Should_refuse_to_start_naming_the_setting()
    {
        await using var host = CallHistoryHost.OnSchema("callhistory_never_created", runDaemon: false, new Dictionary<string, string?> { ["CallHistory:Retention"] = "12:00:00" });

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(host.InitializeAsync);

        Assert.Contains("CallHistory:Retention must be between 1.00:00:00 and 3650.00:00:00 (was 12:00:00).", refused.Failures);
    }

    [Theory]
    [InlineData("23:59:00", false)]
    [InlineData("1.00:00:00", true)]
    [InlineData("90.00:00:00", true)]
    [InlineData("3650.00:00:00", true)]
    [InlineData("3651.00:00:00", false)]
    public void When_the_retention_is_set_Should_accept_one_day_to_ten_years(string retention, bool valid)
    {
        var result = new CallHistoryRetentionSettingsValidator().Validate(
            null, new CallHistoryRetentionSettings { Retention = TimeSpan.Parse(retention, CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("CallHistory:Retention must be between", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    /// <summary>Deletes the old calls other tests of the class published (each host stores every call event published).</summary>
    private async Task PruneLeftoversAsync()
    {
        // Marten's wait throws on a store without events (the class's first test).
        if ((long)(await ExecuteAsync($"select count(*) from {Host.Schema}.mt_events"))! > 0)
        {
            await Host.WaitForDaemonAsync();
            await Pruner.PruneCallsAsync(CancellationToken.None);
        }
    }

    private static string CallSummaryJson<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, CallHistoryHost.Json);

    private async Task WaitForAllAsync(IReadOnlyList<TransferredCall> calls)
    {
        var ids = calls.Select(c => c.CallId).ToArray();
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (await CountAnyAsync("mt_streams", ids) < ids.Length)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The calls were never all stored.");
            await Task.Delay(100);
        }
    }

    private async Task<double> PrunedMetricAsync(Func<double, bool> until)
    {
        var scrape = await PrometheusScrape.WaitAsync(Host.Http, s => until(s.Sum(TrunkMetrics.PrunedCalls.PrometheusName)), TimeSpan.FromSeconds(10));
        var value = scrape.Sum(TrunkMetrics.PrunedCalls.PrometheusName);
        Assert.True(until(value), $"{TrunkMetrics.PrunedCalls.PrometheusName} is {value}.");
        return value;
    }

    /// <summary>The calls' SIP trace documents as earlier builds kept them (an inline projection's table).</summary>
    private async Task StoreEarlierSipTracesAsync(params Guid[] callIds)
    {
        await ExecuteAsync(
            $"create table if not exists {Host.Schema}.mt_doc_siptrace (id uuid primary key, data jsonb not null, " +
            "mt_last_modified timestamptz default transaction_timestamp(), mt_dotnet_type varchar, mt_version bigint not null default 0)");
        foreach (var callId in callIds)
        {
            await ExecuteAsync($"insert into {Host.Schema}.mt_doc_siptrace (id, data) values ($1, '{{}}')", callId);
        }
    }

    /// <summary>
    /// Moves every event stored up to the call's last one, and the call's stream row, back in time, as if they had been
    /// stored then (events are numbered in the order they are stored).
    /// </summary>
    private async Task StoredDaysAgoAsync(Guid callId, int days)
    {
        await ExecuteAsync(
            $"update {Host.Schema}.mt_events set timestamp = timestamp - make_interval(days => $2) where seq_id <= (select max(seq_id) from {Host.Schema}.mt_events where stream_id = $1)",
            callId,
            days);
        await ExecuteAsync($"update {Host.Schema}.mt_streams set created = created - make_interval(days => $2) where id = $1", callId, days);
    }

    private async Task<IReadOnlyList<(string, long)>> RowsAsync(Guid callId)
    {
        var rows = new List<(string, long)>();
        foreach (var table in CallTables)
        {
            rows.Add((table, await CountAsync(table, callId)));
        }

        return rows;
    }

    private Task<long> CountAsync(string table, Guid callId) => CountAnyAsync(table, [callId]);

    private async Task<long> CountAnyAsync(string table, Guid[] callIds)
    {
        var key = table == "mt_events" ? "stream_id" : "id";
        return (long)(await ExecuteAsync($"select count(*) from {Host.Schema}.{table} where {key} = any($1)", callIds))!;
    }

    private static async Task<object?> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync();
    }
}
