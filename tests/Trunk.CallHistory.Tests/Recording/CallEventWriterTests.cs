using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

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
            var error = await Assert.ThrowsAsync<Marten.Exceptions.MartenCommandException>(() => failed);
            Assert.Equal("22P05", Assert.IsType<Npgsql.PostgresException>(error.InnerException).SqlState);
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

    private static PendingCallEvent Pending(ICallEvent e) => new(Guid.NewGuid(), e, null, null, null);

    /// <summary>PostgreSQL's jsonb holds no NUL character (\u0000): the event's insert fails, whatever its batch.</summary>
    private static CallEnded Unstorable(Guid callId) =>
        new(callId, TimeProvider.System.GetUtcNow(), "signaling-1", TimeSpan.Zero, "caller\0hangup", 200, null);
}
