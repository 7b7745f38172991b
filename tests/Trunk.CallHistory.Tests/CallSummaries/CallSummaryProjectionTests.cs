using System.Runtime.CompilerServices;
using System.Text.Json;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;

namespace Trunk.CallHistory.Tests.CallSummaries;

public sealed class CallSummaryProjectionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void When_events_arrive_out_of_order_Should_fold_to_the_same_summary(int seed)
    {
        var call = new TransferredCall(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero), "+15557000009");
        var shuffled = call.Events.ToArray();
        new Random(seed).Shuffle(shuffled);

        Assert.Equal(Json(Fold(call.CallId, call.Events)), Json(Fold(call.CallId, shuffled)));
    }

    [Fact]
    public void When_the_caller_hangs_up_with_a_reason_Should_take_the_q850_cause_from_it()
    {
        Assert.Equal(16, Q850.FromReason("Q.850;cause=16;text=\"Normal call clearing\""));
        Assert.Equal(17, Q850.FromReason("SIP;cause=486, Q.850 ; cause=17"));
        Assert.Null(Q850.FromReason("SIP;cause=200;text=\"Call completed elsewhere\""));
        Assert.Null(Q850.FromReason(null));
    }

    [Fact]
    public void When_an_event_type_is_left_out_of_the_projections_Should_leave_every_summary_as_it_was()
    {
        var call = new TransferredCall(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero), "+15557000010");
        var summary = Fold(call.CallId, call.Events);
        var leftOut = CallEventTypes.All.Except(CallSummaryProjection.FoldedTypes).ToList();

        // Each type the projections do not load (CallSummary inline, HangupAnalysis in the daemon) must be one the fold ignores.
        Assert.Contains(typeof(Trunk.Contracts.Calls.SipMessagesTraced), leftOut);
        Assert.All(leftOut, type => Assert.Equal(
            Json(summary),
            Json(CallSummaryProjection.Fold(summary, RuntimeHelpers.GetUninitializedObject(type)))));
    }

    internal static CallSummary Fold(Guid callId, IEnumerable<ICallEvent> events) =>
        events.Aggregate(new CallSummary { Id = callId }, CallSummaryProjection.Fold);

    internal static string Json(CallSummary summary) => JsonSerializer.Serialize(summary, CallHistoryHost.Json);
}
