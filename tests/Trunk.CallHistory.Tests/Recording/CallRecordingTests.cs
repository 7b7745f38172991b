using System.Text.Json;
using Marten;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.SipTraces;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.Tests.Recording;

[Collection(HostCollection.Name)]
public sealed class CallRecordingTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_a_transferred_call_is_published_Should_build_its_summary()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557000001");
        foreach (var e in call.Events)
        {
            await host.PublishAsync(e);
        }

        var summary = await host.WaitForEventsAsync(call.CallId, call.Events.Count);

        Assert.Equal((TransferredCall.Caller, call.Did, call.TrunkId, call.AccountId), (summary.CallerNumber, summary.Did, summary.TrunkId, summary.AccountId));
        Assert.Equal((call.At(0), call.At(400), call.At(60_020)), (summary.StartedAt, summary.AnsweredAt, summary.EndedAt));
        Assert.Equal(TimeSpan.FromMilliseconds(390), summary.PostDialDelay);
        Assert.Equal([LegSide.Caller, LegSide.Endpoint, LegSide.Target], summary.Legs.Select(l => l.Leg));
        var transfer = Assert.Single(summary.Transfers);
        Assert.Equal(TransferOutcome.Completed, transfer.Outcome);
        Assert.Equal(TransferredCall.Target, transfer.TargetNumber);
        Assert.Equal(200, transfer.SipCode);
        Assert.Equal(TimeSpan.FromMilliseconds(3_060), transfer.ReferToBridge);
        Assert.Equal(call.At(5_500), transfer.RingingAt);
        Assert.Equal(("caller_hangup", LegSide.Caller, 200, 16), (summary.HangupCause, summary.HungUpBy, summary.SipCode, summary.Q850Cause));

        await using var session = host.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(call.CallId);
        Assert.Equal(call.Events.Count, stream.Count);
        Assert.Equal(
            CallSummaryProjectionTests.Json(CallSummaryProjectionTests.Fold(call.CallId, stream.Select(e => (ICallEvent)e.Data))),
            CallSummaryProjectionTests.Json(summary));
    }

    [Fact]
    public async Task When_trace_batches_are_published_Should_keep_all_legs_in_wire_order()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557000002");
        foreach (var e in call.Events)
        {
            await host.PublishAsync(e);
        }

        await host.WaitForEventsAsync(call.CallId, call.Events.Count);
        var trace = await WaitForTraceAsync(call.CallId, 8);

        Assert.Equal(trace.Messages.OrderBy(m => m.At).Select(m => m.Raw), trace.Messages.Select(m => m.Raw));
        Assert.Equal([LegSide.Caller, LegSide.Endpoint, LegSide.Target], trace.Messages.Select(m => m.Leg).Distinct().Order());

        var fromApi = await host.GetAsync<SipTrace>($"/calls/{call.CallId}/sip-trace");
        Assert.Equal(trace.Messages.Select(m => m.Raw), fromApi.Messages.Select(m => m.Raw));

        using var text = await host.Http.GetAsync(new Uri($"/calls/{call.CallId}/sip-trace?format=text", UriKind.Relative));
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);
        var lines = (await text.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("RECEIVED " + call.At(0).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            + " caller UDP 127.0.0.1:5060 <- 127.0.0.1:5070", lines[0]);
        Assert.StartsWith("INVITE sip:+15557000002@trunk.example", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("SENT ", StringComparison.Ordinal) && l.EndsWith(" target UDP 127.0.0.1:5060 -> 127.0.0.1:5080", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_batch_is_committed_Should_serve_the_calls_summary_and_sip_trace_from_it_at_once()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557000005");
        var firstHalf = call.Events.Take(call.Events.Count / 2).ToList();

        await CallEventBatch.CommitAsync(host.Store, [.. firstHalf.Select(e => new PendingCallEvent(Guid.NewGuid(), e, null, null, null))]);

        // No wait: what a committed append stored is what the next read of the API returns (read-your-writes).
        var summary = await host.GetAsync<CallSummary>($"/calls/{call.CallId}");
        Assert.Equal(CallSummaryProjectionTests.Json(CallSummaryProjectionTests.Fold(call.CallId, firstHalf)), CallSummaryProjectionTests.Json(summary));
        var trace = await host.GetAsync<SipTrace>($"/calls/{call.CallId}/sip-trace");
        Assert.Equal(
            firstHalf.OfType<SipMessagesTraced>().SelectMany(b => b.Messages).OrderBy(m => m.At).Select(m => m.Raw),
            trace.Messages.Select(m => m.Raw));
        Assert.NotEmpty(trace.Messages);
    }

    [Fact]
    public async Task When_the_same_message_is_delivered_twice_Should_store_it_once()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557000003");
        var messageId = Guid.NewGuid();
        await host.PublishAsync(call.Received, messageId);
        await host.PublishAsync(call.Received, messageId);
        await host.PublishAsync(new CallEnded(call.CallId, call.At(1_000), "signaling-1", TimeSpan.FromSeconds(1), "caller_hangup", 200, null));

        await host.WaitForSummaryAsync(call.CallId, s => s.EndedAt is not null && s.StartedAt is not null);

        await using var session = host.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(call.CallId);
        Assert.Equal([nameof(CallEnded), nameof(CallReceived)], events.Select(e => e.Data.GetType().Name).Order());
        Assert.Contains(messageId, events.Select(e => e.Id));
        var summary = await session.LoadAsync<CallSummary>(call.CallId);
        Assert.Single(summary!.Legs);
    }

    [Fact]
    public async Task When_an_event_is_stored_Should_keep_its_message_id_correlation_and_trace_context()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow(), "+15557000004");
        var messageId = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        await host.PublishAsync(call.Received, messageId, correlationId);
        await host.WaitForSummaryAsync(call.CallId, s => s.StartedAt is not null);

        var stored = Assert.Single(await host.GetAsync<List<CallEventRecord>>($"/calls/{call.CallId}/events"));

        Assert.Equal("call_received", stored.Type);
        Assert.Equal(call.Did, ((JsonElement)stored.Data).GetProperty("did").GetString());
        Assert.Equal(correlationId.ToString(), stored.CorrelationId);
        Assert.NotNull(stored.Headers);
        Assert.Equal(messageId.ToString(), stored.Headers[CallEventBatch.MessageIdHeader].ToString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", stored.Headers[CallEventBatch.TraceParentHeader].ToString());
    }

    private async Task<SipTrace> WaitForTraceAsync(Guid callId, int count)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            await using var session = host.Store.QuerySession();
            if (await SipTraceReader.LoadAsync(session, callId, CancellationToken.None) is { } trace && trace.Messages.Count >= count)
            {
                return trace;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The SIP trace of call {callId} never held {count} messages.");
    }
}
