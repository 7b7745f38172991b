using System.Text.Json;
using Marten;
using Npgsql;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Recording;

/// <summary>
/// The writer's own statements (one per table and batch) store what Marten's append and inline projection stored:
/// Marten reads the events back whole, continues the streams, folds the same summaries, and its daemon projects them.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CallEventBatchTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_a_batch_mixes_new_streams_and_existing_ones_Should_number_each_streams_events_consecutively()
    {
        var byMarten = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200001");
        var byWriter = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200001");
        var fresh = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200001");
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.Append(byMarten.CallId, byMarten.Events[0], byMarten.Events[1]);
            await session.SaveChangesAsync();
        }

        await CallEventBatch.CommitAsync(host.Store, [Pending(byWriter.Events[0])]);

        await CallEventBatch.CommitAsync(host.Store,
        [
            Pending(byMarten.Events[2]), Pending(fresh.Events[0]), Pending(byWriter.Events[1]), Pending(byMarten.Events[3]),
            Pending(fresh.Events[1]), Pending(byWriter.Events[2]), Pending(byMarten.Events[4]),
        ]);

        // Marten's own append continues a stream the writer wrote: the stream's version is where the writer left it.
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.Append(fresh.CallId, fresh.Events[2]);
            await session.SaveChangesAsync();
        }

        await using var query = host.Store.QuerySession();
        foreach (var (call, count) in new[] { (byMarten, 5), (byWriter, 3), (fresh, 3) })
        {
            var stream = await query.Events.FetchStreamAsync(call.CallId);
            Assert.Equal(call.Events.Take(count).Select(e => e.GetType().Name), stream.Select(e => e.Data.GetType().Name));
            Assert.Equal(Enumerable.Range(1, count).Select(v => (long)v), stream.Select(e => e.Version));
            Assert.Equal(stream.Select(e => e.Sequence).Order(), stream.Select(e => e.Sequence));
            Assert.Equal(count, (await query.Events.FetchStreamStateAsync(call.CallId))!.Version);
        }
    }

    [Fact]
    public async Task When_events_are_read_back_through_Marten_Should_equal_what_was_appended_with_their_metadata()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200002");
        var pending = call.Events.Take(4)
            .Select((e, i) => new PendingCallEvent(Guid.NewGuid(), e, $"correlation-{i}", i % 2 == 0 ? $"causation-{i}" : null, i < 3 ? Trace(i) : null))
            .ToList();
        var before = TimeProvider.System.GetUtcNow();

        await CallEventBatch.CommitAsync(host.Store, pending);

        await using var session = host.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(call.CallId);
        Assert.Equal(pending.Count, stream.Count);
        foreach (var (sent, read) in pending.Zip(stream))
        {
            Assert.Equal(sent.MessageId, read.Id);
            Assert.Equal(call.CallId, read.StreamId);
            Assert.Equal(Json(sent.Event), Json(read.Data));
            Assert.Equal((sent.CorrelationId, sent.CausationId), (read.CorrelationId, read.CausationId));
            Assert.Equal(sent.MessageId.ToString(), read.GetHeader(CallEventBatch.MessageIdHeader)?.ToString());
            Assert.Equal(sent.TraceParent, read.GetHeader(CallEventBatch.TraceParentHeader)?.ToString());
            Assert.Equal("*DEFAULT*", read.TenantId);
            Assert.InRange(read.Timestamp, before.AddSeconds(-5), TimeProvider.System.GetUtcNow().AddSeconds(5));
        }
    }

    [Fact]
    public async Task When_the_writer_and_Marten_append_the_same_events_Should_store_the_same_rows()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200003");
        var twin = Guid.NewGuid();
        var pending = call.Events.Take(3).Select((e, i) => new PendingCallEvent(Guid.NewGuid(), e, $"c-{i}", $"k-{i}", Trace(i))).ToList();

        await CallEventBatch.CommitAsync(host.Store, pending);
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.Append(twin, pending.Select(p =>
            {
                var e = session.Events.BuildEvent(p.Event);
                e.CorrelationId = p.CorrelationId;
                e.CausationId = p.CausationId;
                e.SetHeader(CallEventBatch.MessageIdHeader, p.MessageId.ToString());
                e.SetHeader(CallEventBatch.TraceParentHeader, p.TraceParent!);
                return (object)e;
            }).ToArray());
            await session.SaveChangesAsync();
        }

        const string events = "version, data, bdata, type, tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, is_archived";
        Assert.Equal(await RowsAsync(events, "mt_events", "stream_id", twin, "version"), await RowsAsync(events, "mt_events", "stream_id", call.CallId, "version"));
        const string streams = "type, version, tenant_id, compacted_version, is_archived";
        Assert.Equal(await RowsAsync(streams, "mt_streams", "id", twin, "id"), await RowsAsync(streams, "mt_streams", "id", call.CallId, "id"));
    }

    [Fact]
    public async Task When_batches_fold_a_call_Should_store_the_summary_Marten_folds_from_the_stream()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200004");
        var others = Enumerable.Range(0, 3).Select(_ => new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200004")).ToList();
        var thirds = call.Events.Chunk((call.Events.Count + 2) / 3).ToList();

        for (var k = 0; k < thirds.Count; k++)
        {
            await CallEventBatch.CommitAsync(host.Store, [.. thirds[k].Select(Pending), .. others.Select(o => Pending(o.Events[k]))]);
        }

        // A batch of the call's with no event the fold reads (a SIP trace batch) leaves its summary as it was, as Marten's did.
        await CallEventBatch.CommitAsync(host.Store, [Pending(call.Events.OfType<Trunk.Contracts.Calls.SipMessagesTraced>().First())]);

        await using var session = host.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(call.CallId);
        var stored = (await session.LoadAsync<CallSummary>(call.CallId))!;
        var folded = CallSummaryProjectionTests.Fold(call.CallId, stream.Select(e => (ICallEvent)e.Data));
        Assert.Equal(CallSummaryProjectionTests.Json(folded), CallSummaryProjectionTests.Json(stored));
        Assert.Equal(CallSummaryProjectionTests.Json(folded), CallSummaryProjectionTests.Json((await session.Events.AggregateStreamAsync<CallSummary>(call.CallId))!));

        // Marten's document metadata (the stream's version after the last batch that changed it) and the filters'
        // duplicated columns, as its own upsert wrote them.
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select mt_version, mt_dotnet_type, started_at, did, account_id, hangup_cause, mt_last_modified from {host.Schema}.mt_doc_callsummary where id = $1",
            connection);
        command.Parameters.AddWithValue(call.CallId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(call.Events.Count, reader.GetInt64(0));
        Assert.Equal(call.Events.Count + 1, stream.Count);
        Assert.Equal(typeof(CallSummary).FullName, reader.GetString(1));
        Assert.Equal(stored.StartedAt!.Value.UtcTicks / 10, reader.GetFieldValue<DateTimeOffset>(2).UtcTicks / 10); // PostgreSQL keeps microseconds
        Assert.Equal((stored.Did, stored.AccountId), (reader.GetString(3), reader.GetGuid(4)));
        Assert.Equal("caller_hangup", stored.HangupCause);
        Assert.Equal(stored.HangupCause, reader.GetString(5));
        Assert.InRange(reader.GetFieldValue<DateTimeOffset>(6), stream[^2].Timestamp.AddSeconds(-5), stream[^2].Timestamp.AddSeconds(5));
    }

    [Fact]
    public async Task When_two_writers_commit_the_same_messages_at_once_Should_store_each_once()
    {
        var calls = Enumerable.Range(0, 5).Select(_ => new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557200005")).ToList();
        var messages = calls.SelectMany(c => c.Events.Select(e => (Id: Guid.NewGuid(), Event: e))).ToList();

        var stored = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => CallEventBatch.CommitAsync(
            host.Store, [.. messages.Select(m => new PendingCallEvent(m.Id, m.Event, null, null, null))]))));

        Assert.Equal(messages.Count, stored.Sum(s => s.Count));
        await using var session = host.Store.QuerySession();
        foreach (var call in calls)
        {
            var stream = await session.Events.FetchStreamAsync(call.CallId);
            Assert.Equal(Enumerable.Range(1, call.Events.Count).Select(v => (long)v), stream.Select(e => e.Version));
            Assert.Equal(
                CallSummaryProjectionTests.Json(CallSummaryProjectionTests.Fold(call.CallId, call.Events)),
                CallSummaryProjectionTests.Json((await session.LoadAsync<CallSummary>(call.CallId))!));
        }
    }

    [Fact]
    public async Task When_calls_are_appended_in_mixed_batches_Should_let_the_daemon_project_every_one()
    {
        var start = TimeProvider.System.GetUtcNow();
        var made = Enumerable.Range(0, 4).Select(i => new TransferredCall(start.AddSeconds(i), "+15557200006")).ToList();
        var calls = new[] { made[0].Events, made[1].EndpointBusy, made[2].UnansweredTransferThenSilence, made[3].GeoDeniedTransfer }
            .Select((events, i) => (Call: made[i], Events: events)).ToList();
        await using var listener = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand("listen mt_events_appended", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var batches = calls.SelectMany(c => c.Events.Select((e, k) => (Position: k, Pending: Pending(e))))
            .GroupBy(p => p.Position / 4)
            .Select(g => g.Select(p => p.Pending).ToList());
        foreach (var batch in batches)
        {
            await CallEventBatch.CommitAsync(host.Store, batch);
        }

        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)), "No NOTIFY on mt_events_appended after an append.");
        await host.WaitForDaemonAsync();
        await using var session = host.Store.QuerySession();
        foreach (var (call, events) in calls)
        {
            Assert.Equal(
                JsonSerializer.Serialize(CallOutcome.From(CallSummaryProjectionTests.Fold(call.CallId, events)), CallHistoryHost.Json),
                JsonSerializer.Serialize((await session.LoadAsync<CallOutcome>(call.CallId))!, CallHistoryHost.Json));
        }
    }

    private static PendingCallEvent Pending(ICallEvent e) => new(Guid.NewGuid(), e, null, null, null);

    private static string Trace(int i) => $"00-{new string((char)('a' + i), 32)}-{new string('1', 16)}-01";

    private static string Json(object e) => JsonSerializer.Serialize(e, e.GetType(), CallHistoryHost.Json);

    /// <summary>The rows' columns as text, one row a string, in PostgreSQL's own rendering of each value.</summary>
    private async Task<IReadOnlyList<string>> RowsAsync(string columns, string table, string key, Guid id, string order)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select concat_ws('|', {columns}) from {host.Schema}.{table} where {key} = $1 order by {order}", connection);
        command.Parameters.AddWithValue(id);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
