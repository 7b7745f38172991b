using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Recording;

/// <summary>The group commit behind the consumer: many messages in one transaction, each stored once, in order, or failed alone.</summary>
[Collection(HostCollection.Name)]
public sealed class CallEventWriterTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_a_batch_holds_the_same_message_twice_Should_store_it_once()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100001");
        var received = Pending(call.Received);
        var redelivered = new PendingCallEvent(received.MessageId, call.Received, null, null, null);
        var dialled = Pending(call.Events[1]);

        var stored = await CallEventBatch.CommitAsync(host.Store, [received, redelivered, dialled]);

        Assert.Equal(2, stored.Count);
        Assert.Contains(received, stored);
        Assert.Contains(dialled, stored);
        await using var session = host.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(call.CallId);
        Assert.Equal([nameof(CallReceived), nameof(EndpointDialled)], events.Select(e => e.Data.GetType().Name));
        Assert.Equal([received.MessageId, dialled.MessageId], events.Select(e => e.Id));
    }

    [Fact]
    public async Task When_a_later_batch_holds_a_message_already_stored_Should_skip_it_and_store_the_rest()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100002");
        var received = Pending(call.Received);
        await CallEventBatch.CommitAsync(host.Store, [received]);
        var again = new PendingCallEvent(received.MessageId, call.Received, null, null, null);
        var dialled = Pending(call.Events[1]);

        var stored = await CallEventBatch.CommitAsync(host.Store, [again, dialled]);

        Assert.Equal([dialled], stored);
        await using var session = host.Store.QuerySession();
        Assert.Equal([received.MessageId, dialled.MessageId], (await session.Events.FetchStreamAsync(call.CallId)).Select(e => e.Id));
        Assert.Single((await session.LoadAsync<CallSummary>(call.CallId))!.Legs, l => l.Leg == LegSide.Caller);
    }

    [Fact]
    public async Task When_many_calls_are_written_interleaved_Should_keep_each_calls_order_and_summary()
    {
        var calls = Enumerable.Range(0, 30).Select(_ => new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100003")).ToList();
        var writer = host.Services.GetRequiredService<CallEventWriter>();

        // As a busy queue hands them over: every call's first event, then every call's second, and so on.
        var appends = Enumerable.Range(0, calls[0].Events.Count)
            .SelectMany(k => calls.Select(c => writer.AppendAsync(Pending(c.Events[k]))))
            .ToList();
        Assert.All(await Task.WhenAll(appends), stored => Assert.True(stored));

        await using var session = host.Store.QuerySession();
        foreach (var call in calls)
        {
            var stream = await session.Events.FetchStreamAsync(call.CallId);
            Assert.Equal(call.Events.Select(e => e.GetType().Name), stream.Select(e => e.Data.GetType().Name));
            Assert.Equal(
                CallSummaryProjectionTests.Json(CallSummaryProjectionTests.Fold(call.CallId, call.Events)),
                CallSummaryProjectionTests.Json((await session.LoadAsync<CallSummary>(call.CallId))!));
        }
    }

    [Fact]
    public async Task When_one_event_of_a_batch_cannot_be_stored_Should_store_the_others_and_fail_it_alone()
    {
        var calls = Enumerable.Range(0, 10).Select(_ => new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100004")).ToList();
        var poison = Pending(Unstorable(calls[0].CallId));

        // One lane, so that the unstorable event queues up with the others while the lane commits its first batch.
        await using (var writer = new CallEventWriter(
            host.Store,
            TimeProvider.System,
            Options.Create(new CallHistorySettings { Writers = 1 }),
            NullLogger<CallEventWriter>.Instance))
        {
            var before = calls.Select(c => writer.AppendAsync(Pending(c.Received))).ToList();
            var failed = writer.AppendAsync(poison);
            var after = calls.Select(c => writer.AppendAsync(Pending(c.Events[1]))).ToList();

            Assert.All(await Task.WhenAll(before.Concat(after)), stored => Assert.True(stored));
            var error = await Assert.ThrowsAsync<PostgresException>(() => failed);
            Assert.Equal("22P05", error.SqlState);
        }

        await using var session = host.Store.QuerySession();
        foreach (var call in calls)
        {
            Assert.Equal([nameof(CallReceived), nameof(EndpointDialled)], (await session.Events.FetchStreamAsync(call.CallId)).Select(e => e.Data.GetType().Name));
        }
    }

    [Fact]
    public async Task When_a_published_event_cannot_be_stored_Should_retry_it_then_move_it_to_the_error_queue_and_store_the_others()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100005");
        var poisonId = Guid.NewGuid();
        await host.PublishAsync(call.Received);
        await host.PublishAsync(Unstorable(call.CallId), poisonId);
        await host.PublishAsync(call.Events[1]);

        await host.WaitForEventsAsync(call.CallId, 2);
        var errorQueue = host.RetryQueue + "_error";
        var faulted = await RabbitQueues.TakeAsync(errorQueue, poisonId.ToString());

        Assert.Equal(poisonId.ToString(), faulted.MessageId);
        await using var session = host.Store.QuerySession();
        Assert.Equal([nameof(CallReceived), nameof(EndpointDialled)], (await session.Events.FetchStreamAsync(call.CallId)).Select(e => e.Data.GetType().Name).Order());
    }

    [Fact]
    public async Task When_events_trickle_in_within_the_linger_Should_commit_them_in_one_transaction()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100005");
        await using var writer = Writer(TimeSpan.FromMilliseconds(500));

        var first = writer.AppendAsync(Pending(call.Events[0]));
        await Task.Delay(50);
        var second = writer.AppendAsync(Pending(call.Events[1]));
        await Task.Delay(50);
        var third = writer.AppendAsync(Pending(call.Events[2]));

        Assert.All(await Task.WhenAll(first, second, third), Assert.True);
        var transactions = await TransactionsOf(call.CallId);
        Assert.Equal(3, transactions.Count);
        Assert.Single(transactions.Distinct());
    }

    [Fact]
    public async Task When_the_linger_is_off_Should_commit_each_trickling_event_as_it_comes()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557100006");
        await using var writer = Writer(TimeSpan.Zero);

        Assert.True(await writer.AppendAsync(Pending(call.Events[0])));
        Assert.True(await writer.AppendAsync(Pending(call.Events[1])));

        var transactions = await TransactionsOf(call.CallId);
        Assert.Equal(2, transactions.Distinct().Count());
    }

    [Fact]
    public void When_the_linger_is_negative_or_over_a_second_Should_be_refused()
    {
        var validator = new CallHistorySettingsValidator();

        Assert.True(validator.Validate(null, new CallHistorySettings { WriterLinger = TimeSpan.FromMilliseconds(-1) }).Failed);
        Assert.True(validator.Validate(null, new CallHistorySettings { WriterLinger = TimeSpan.FromSeconds(2) }).Failed);
        Assert.True(validator.Validate(null, new CallHistorySettings { WriterLinger = TimeSpan.Zero }).Succeeded);
    }

    private CallEventWriter Writer(TimeSpan linger) => new(
        host.Store,
        TimeProvider.System,
        Options.Create(new CallHistorySettings { WriterLinger = linger }),
        NullLogger<CallEventWriter>.Instance);

    /// <summary>The transaction (PostgreSQL's xmin) that inserted each of the call's events, in stream order.</summary>
    private async Task<IReadOnlyList<string>> TransactionsOf(Guid callId)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select xmin::text from {host.Schema}.mt_events where stream_id = $1 order by version", connection);
        command.Parameters.AddWithValue(callId);
        var transactions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            transactions.Add(reader.GetString(0));
        }

        return transactions;
    }

    private static PendingCallEvent Pending(ICallEvent e) => new(Guid.NewGuid(), e, null, null, null);

    /// <summary>PostgreSQL's jsonb holds no NUL character (\u0000): the event's insert fails, whatever its batch.</summary>
    private static CallEnded Unstorable(Guid callId) =>
        new(callId, TimeProvider.System.GetUtcNow(), "signaling-1", TimeSpan.Zero, "caller\0hangup", 200, null);
}
