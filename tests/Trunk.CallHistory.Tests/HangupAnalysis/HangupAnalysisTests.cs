using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Npgsql;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.HangupAnalysis;

[Collection(HostCollection.Name)]
public sealed class HangupAnalysisTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_calls_end_Should_count_them_as_a_fold_of_their_events_by_cause_trunk_account_and_hour()
    {
        var start = new DateTimeOffset(2025, 3, 1 + Random.Shared.Next(0, 27), 9, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 50));
        var calls = Calls(start);
        foreach (var (_, events) in calls)
        {
            await host.PublishAllAsync(events);
        }

        foreach (var (call, events) in calls)
        {
            await host.WaitForEventsAsync(call.CallId, events.Count);
        }

        await host.WaitForDaemonAsync();

        await using (var session = host.Store.QuerySession())
        {
            foreach (var (call, events) in calls)
            {
                var stored = await session.LoadAsync<CallOutcome>(call.CallId);
                Assert.Equal(Json(Expected(call, events)), Json(stored!));
            }
        }

        var expected = calls.Select(c => Expected(c.Call, c.Events)).ToList();
        var range = $"from={Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(3).ToString("O"))}";
        var byCause = await host.GetAsync<HangupReport>("/analysis/hangups?" + range);
        Assert.Equal(expected.Count, byCause.Calls);
        Assert.Equal(
            expected.GroupBy(o => o.Cause!).Select(g => (g.Key, (long)g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal),
            byCause.Groups.Select(g => (g.Key, g.Calls)));
        Assert.Equal(expected.Count(o => o.NoAudio), byCause.NoAudioCalls);
        Assert.Equal(expected.Where(o => o.NoAudio).Select(o => o.Id).Order(), byCause.NoAudioCallIds.Order());
        Assert.Equal(expected.Sum(o => o.Transfers), byCause.Transfers);
        Assert.Equal((double)expected.Sum(o => o.TransfersCompleted) / expected.Sum(o => o.Transfers), byCause.TransferSuccessRate);
        Assert.Equal(
            expected.SelectMany(o => o.TransferFailures).GroupBy(f => f).Select(g => (g.Key, (long)g.Count())).Order(),
            byCause.TransferFailures.Select(f => (f.Cause, f.Count)).Order());

        var byHour = await host.GetAsync<HangupReport>("/analysis/hangups?groupBy=hour&" + range);
        Assert.Equal(
            expected.GroupBy(o => o.Hour!.Value).Select(g => (g.Key.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture), (long)g.Count())).Order(),
            byHour.Groups.Select(g => (g.Key, g.Calls)).Order());
        var byTrunk = await host.GetAsync<HangupReport>("/analysis/hangups?groupBy=trunk&" + range);
        Assert.Equal(expected.Select(o => o.TrunkId!.Value.ToString()).Order(), byTrunk.Groups.Select(g => g.Key).Order());
        var byAccount = await host.GetAsync<HangupReport>("/analysis/hangups?groupBy=Account&" + range);
        Assert.Equal(expected.Select(o => o.AccountId!.Value.ToString()).Order(), byAccount.Groups.Select(g => g.Key).Order());

        var busy = await host.GetAsync<CallPage>($"/calls?outcome=busy&{range}");
        Assert.Equal(expected.Where(o => o.Cause == "busy").OrderByDescending(o => o.StartedAt).Select(o => o.Id), busy.Calls.Select(c => c.Id));
    }

    [Fact]
    public async Task When_the_daemon_writes_an_outcome_Should_store_only_the_counted_fields_taken_from_the_calls_summary()
    {
        var calls = Calls(new DateTimeOffset(2025, 4, 1 + Random.Shared.Next(0, 27), 14, 0, 0, TimeSpan.Zero));
        await RecordAsync(host, calls);
        await host.WaitForDaemonAsync();

        await using var session = host.Store.QuerySession();
        foreach (var (call, events) in calls)
        {
            var summary = await session.LoadAsync<CallSummary>(call.CallId);
            Assert.Equal(Json(Expected(call, events)), Json(CallOutcome.From(summary!)));
            Assert.Equal(Json(CallOutcome.From(summary!)), Json((await session.LoadAsync<CallOutcome>(call.CallId))!));
            Assert.Equal(["AccountId", "Cause", "Hour", "Id", "NoAudio", "StartedAt", "TransferFailures", "Transfers", "TransfersCompleted", "TrunkId"], await StoredKeysAsync(call.CallId));
        }
    }

    [Fact]
    public async Task When_an_outcome_stored_by_an_earlier_build_carries_the_whole_summary_Should_still_read_it()
    {
        var calls = Calls(new DateTimeOffset(2025, 5, 1 + Random.Shared.Next(0, 27), 16, 0, 0, TimeSpan.Zero));
        await RecordAsync(host, calls[..1]);
        await host.WaitForDaemonAsync();
        var (call, events) = calls[0];

        await ExecuteAsync(
            $"update {host.Schema}.mt_doc_calloutcome o set data = o.data || jsonb_build_object('Call', s.data) from {host.Schema}.mt_doc_callsummary s where o.id = s.id and o.id = '{call.CallId}'");

        Assert.Contains("Call", await StoredKeysAsync(call.CallId));
        await using var session = host.Store.QuerySession();
        Assert.Equal(Json(Expected(call, events)), Json((await session.LoadAsync<CallOutcome>(call.CallId))!));
    }

    [Fact]
    public async Task When_the_daemon_restarts_Should_catch_up_every_event_stored_while_it_was_away()
    {
        var schema = $"callhistory_test_{Guid.NewGuid().ToString("N")[..10]}";
        var calls = Calls(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero));
        try
        {
            await StoreWhileTheDaemonIsAwayAsync(schema, calls[..1], recorderOnly => RecordAsync(recorderOnly, calls[1..]));

            await using var restarted = CallHistoryHost.OnSchema(schema, runDaemon: true);
            await restarted.InitializeAsync();
            await restarted.WaitForDaemonAsync();

            await using var session = restarted.Store.QuerySession();
            foreach (var (call, events) in calls)
            {
                Assert.Equal(Json(Expected(call, events)), Json((await session.LoadAsync<CallOutcome>(call.CallId))!));
            }

            await AssertPassedEveryEventAsync(schema, calls.Sum(c => c.Events.Count));
        }
        finally
        {
            await CallHistoryHost.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task When_the_restarted_daemon_catches_up_many_calls_Should_write_a_pages_outcomes_in_one_statement_each_the_fold_of_its_call()
    {
        var schema = $"callhistory_test_{Guid.NewGuid().ToString("N")[..10]}";
        var start = new DateTimeOffset(2025, 7, 1 + Random.Shared.Next(0, 27), 8, 0, 0, TimeSpan.Zero);
        var first = Calls(start);
        var made = Enumerable.Range(0, 60).Select(i => new TransferredCall(start.AddMinutes(3 + i), "+15559100007")).ToList();
        var many = made.Select((c, i) => (Call: c, Events: (i % 4) switch
        {
            0 => c.Events,
            1 => c.EndpointBusy,
            2 => c.UnansweredTransferThenSilence,
            _ => c.GeoDeniedTransfer,
        })).ToList();
        try
        {
            await StoreWhileTheDaemonIsAwayAsync(schema, first[..2], async recorderOnly =>
            {
                // Straight to the writer's batches, the calls' events interleaved as the queue hands them over.
                var pending = many.SelectMany(c => c.Events.Select((e, k) => (Position: k, Pending: new PendingCallEvent(Guid.NewGuid(), e, null, null, null))))
                    .OrderBy(p => p.Position).Select(p => p.Pending).Chunk(200);
                foreach (var batch in pending)
                {
                    await CallEventBatch.CommitAsync(recorderOnly.Store, batch);
                }
            });

            // Counts the statements (not the rows) that write outcomes from here on.
            await ExecuteAsync(
                $"""
                create table {schema}.outcome_statements (at timestamptz not null default clock_timestamp());
                create function {schema}.count_outcome_statement() returns trigger language plpgsql as
                    'begin insert into {schema}.outcome_statements default values; return null; end';
                create trigger count_outcome_statements after insert on {schema}.mt_doc_calloutcome
                    for each statement execute function {schema}.count_outcome_statement();
                """);

            await using var restarted = CallHistoryHost.OnSchema(schema, runDaemon: true);
            await restarted.InitializeAsync();
            await restarted.WaitForDaemonAsync();

            await using var session = restarted.Store.QuerySession();
            foreach (var (call, events) in first[..2].Concat(many))
            {
                Assert.Equal(Json(Expected(call, events)), Json((await session.LoadAsync<CallOutcome>(call.CallId))!));
            }

            await AssertPassedEveryEventAsync(schema, first[..2].Concat(many).Sum(c => c.Events.Count));

            // 60 calls, about 800 events the projection reads: a couple of the daemon's pages, not a statement per call.
            Assert.InRange(await LastSequenceAsync(schema, "outcome_statements", "count(*)"), 1, many.Count / 10);
        }
        finally
        {
            await CallHistoryHost.DropSchemaAsync(schema);
        }
    }

    [Theory]
    [InlineData("/analysis/hangups?groupBy=colour", "groupBy")]
    [InlineData("/analysis/hangups?groupBy=1", "groupBy")]
    [InlineData("/analysis/hangups?from=soon", "from")]
    [InlineData("/analysis/hangups?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/analysis/hangups?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/calls?outcome=exploded", "outcome")]
    public async Task When_an_analysis_or_outcome_filter_is_invalid_Should_answer_400_naming_it(string path, string field)
    {
        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Fact]
    public async Task When_the_openapi_document_is_read_Should_describe_the_analysis_route_and_the_outcome_filter()
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/analysis/hangups", out var analysis));
        Assert.Contains("groupBy", analysis.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("outcome", paths.GetProperty("/calls").GetRawText(), StringComparison.Ordinal);
    }

    private static List<(TransferredCall Call, IReadOnlyList<ICallEvent> Events)> Calls(DateTimeOffset start)
    {
        var did = "+1555900" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var calls = Enumerable.Range(0, 6).Select(i => new TransferredCall(start.AddMinutes(25 * i), did)).ToList();
        return
        [
            (calls[0], calls[0].Events),
            (calls[1], calls[1].EndpointBusy),
            (calls[2], calls[2].EndpointBusy),
            (calls[3], calls[3].UnansweredTransferThenSilence),
            (calls[4], calls[4].GeoDeniedTransfer),
            (calls[5], calls[5].Events),
        ];
    }

    private static async Task RecordAsync(CallHistoryHost recorder, IEnumerable<(TransferredCall Call, IReadOnlyList<ICallEvent> Events)> calls)
    {
        foreach (var (call, events) in calls)
        {
            await recorder.PublishAllAsync(events);
            await recorder.WaitForEventsAsync(call.CallId, events.Count);
        }
    }

    /// <summary>A host with the daemon projects <paramref name="projected"/> and stops; then one without it runs <paramref name="storeWhileAway"/>.</summary>
    private static async Task StoreWhileTheDaemonIsAwayAsync(
        string schema, IEnumerable<(TransferredCall Call, IReadOnlyList<ICallEvent> Events)> projected, Func<CallHistoryHost, Task> storeWhileAway)
    {
        await using (var daemon = CallHistoryHost.OnSchema(schema, runDaemon: true))
        {
            await daemon.InitializeAsync();
            await RecordAsync(daemon, projected);
            await daemon.WaitForDaemonAsync();
            await daemon.DisposeAsync();
        }

        await using var recorderOnly = CallHistoryHost.OnSchema(schema, runDaemon: false);
        await recorderOnly.InitializeAsync();
        await storeWhileAway(recorderOnly);
        await recorderOnly.DisposeAsync();
    }

    /// <summary>
    /// Every event stored, and the daemon's progress at or past the last one (a sequence number a rolled-back append took
    /// is passed too, never waited for).
    /// </summary>
    private static async Task AssertPassedEveryEventAsync(string schema, int events)
    {
        Assert.Equal(events, await LastSequenceAsync(schema, "mt_events", "count(*)"));
        Assert.InRange(
            await LastSequenceAsync(schema, "mt_event_progression", $"max(last_seq_id) filter (where name like '{HangupAnalysisProjection.ProjectionName}%')"),
            await LastSequenceAsync(schema, "mt_events", "max(seq_id)"),
            long.MaxValue);
    }

    private static CallOutcome Expected(TransferredCall call, IEnumerable<ICallEvent> events) =>
        CallOutcome.From(CallSummaryProjectionTests.Fold(call.CallId, events));

    private static string Json(CallOutcome outcome) => JsonSerializer.Serialize(outcome, CallHistoryHost.Json);

    private async Task<List<string>> StoredKeysAsync(Guid callId)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select k from {host.Schema}.mt_doc_calloutcome, jsonb_object_keys(data) k where id = @id order by k", connection);
        command.Parameters.AddWithValue("id", callId);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> LastSequenceAsync(string schema, string table, string expression)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select coalesce({expression}, 0) from {schema}.{table}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
