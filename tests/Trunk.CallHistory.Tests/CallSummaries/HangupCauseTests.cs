using System.Text.RegularExpressions;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Media;
using Trunk.Contracts.Transfers;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.CallSummaries;

public sealed partial class HangupCauseTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void When_the_readme_lists_the_causes_Should_match_the_table_in_the_code_row_for_row()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var rows = ReadmeRow().Matches(readme).Select(m => (m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value)));

        Assert.Equal(HangupCauses.All.Select(c => (c.Code, c.Meaning, c.SipCode, c.Q850Cause)), rows);
    }

    [Theory]
    [InlineData(486, 17)]
    [InlineData(480, 18)]
    [InlineData(404, 1)]
    [InlineData(603, 21)]
    [InlineData(402, 21)]
    [InlineData(503, 41)]
    [InlineData(408, 102)]
    [InlineData(200, 16)]
    public void When_a_sip_code_is_mapped_Should_give_the_q850_cause_of_rfc_3398(int sipCode, int q850)
    {
        Assert.Equal(q850, HangupCauses.Q850ForSip(sipCode));
    }

    [Theory]
    [InlineData("caller_hangup", 200, "caller_hangup")]
    [InlineData("caller_cancelled", 487, "caller_cancelled")]
    [InlineData("endpoint_rejected", 486, "busy")]
    [InlineData("endpoint_rejected", 603, "declined")]
    [InlineData("endpoint_rejected", 404, "unallocated_number")]
    [InlineData("endpoint_rejected", 502, "endpoint_rejected")]
    [InlineData("endpoint_unreachable", 480, "endpoint_unreachable")]
    [InlineData("something-new", 200, "normal_clearing")]
    [InlineData("something-new", 486, "busy")]
    [InlineData("something-new", 599, "unknown")]
    public void When_signaling_ends_the_call_Should_classify_its_cause(string signaled, int sipCode, string expected)
    {
        var callId = Guid.NewGuid();
        var summary = Fold(callId, new CallEnded(callId, Start, "signaling-1", TimeSpan.Zero, signaled, sipCode, null));

        Assert.Equal(expected, summary.HangupCause);
        Assert.Equal(signaled, summary.SignalingCause);
    }

    [Fact]
    public void When_a_bridged_leg_went_silent_and_a_service_hung_up_Should_be_no_audio()
    {
        var callId = Guid.NewGuid();
        var summary = Fold(
            callId,
            new NoAudioDetected(callId, Start, "media-1", LegSide.Caller, TimeSpan.FromSeconds(30)),
            new CallEnded(callId, Start.AddSeconds(1), "signaling-1", TimeSpan.FromSeconds(40), "commanded_hangup", 200, null));

        Assert.Equal("no_audio", summary.HangupCause);
    }

    [Fact]
    public void When_the_endpoint_left_after_202_and_the_transfer_then_failed_Should_be_transfer_failed()
    {
        var callId = Guid.NewGuid();
        var transferId = Guid.NewGuid();
        var summary = Fold(
            callId,
            new EndpointDialled(callId, Start, "signaling-1", "sip:pbx@127.0.0.1", 1, "b@trunk"),
            new TransferAccepted(callId, Start.AddSeconds(5), "transfer-1", transferId),
            new LegHungUp(callId, Start.AddSeconds(6), "signaling-1", LegSide.Endpoint, LegSide.Endpoint, 200, null),
            new TransferFailed(callId, Start.AddSeconds(30), "transfer-1", transferId, 480, "No answer before the ring timeout"),
            new CallEnded(callId, Start.AddSeconds(30), "signaling-1", TimeSpan.FromSeconds(30), "commanded_hangup", 200, null));

        Assert.Equal("transfer_failed", summary.HangupCause);
        Assert.Equal("no_answer", Assert.Single(summary.Transfers).FailureCause);
    }

    [Theory]
    [InlineData(486, "Busy Here", "busy")]
    [InlineData(480, "No answer before the ring timeout", "no_answer")]
    [InlineData(603, "Decline", "declined")]
    [InlineData(404, "Not Found", "unallocated_number")]
    [InlineData(402, "Insufficient balance", "insufficient_balance")]
    [InlineData(503, "No policy decision before the deadline", "target_unreachable")]
    [InlineData(487, "The caller hung up", "caller_cancelled")]
    [InlineData(415, "Unsupported Media Type", "transfer_failed")]
    public void When_a_transfer_fails_Should_name_the_failure_cause(int sipCode, string reason, string expected)
    {
        var callId = Guid.NewGuid();
        var summary = Fold(callId, new TransferFailed(callId, Start, "transfer-1", Guid.NewGuid(), sipCode, reason));

        Assert.Equal(expected, Assert.Single(summary.Transfers).FailureCause);
        Assert.Null(summary.HangupCause);
    }

    [Theory]
    [InlineData("no geo permission for GB", "geo_permission_denied")]
    [InlineData("premium destination not enabled (premium rate)", "transfer_denied")]
    public void When_policy_denies_a_transfer_Should_name_why(string reason, string expected)
    {
        var callId = Guid.NewGuid();
        var summary = Fold(callId, new TransferPolicyDenied(callId, Start, "transfer-1", Guid.NewGuid(), 403, reason));

        Assert.Equal(expected, Assert.Single(summary.Transfers).FailureCause);
    }

    [Fact]
    public void When_a_transferred_call_ends_with_a_reason_header_Should_keep_who_hung_up_the_sip_code_and_the_q850_cause()
    {
        var call = new TransferredCall(Start, "+15557000010");
        var summary = CallSummaryProjectionTests.Fold(call.CallId, call.Events);

        Assert.Equal(("caller_hangup", LegSide.Caller, 200, 16), (summary.HangupCause, summary.HungUpBy, summary.SipCode, summary.Q850Cause));
        Assert.Null(Assert.Single(summary.Transfers).FailureCause);
    }

    private static CallSummary Fold(Guid callId, params ICallEvent[] events) => CallSummaryProjectionTests.Fold(callId, events);

    [GeneratedRegex(@"^\| `([a-z_0-9]+)` \| (.+?) \| (\d+) \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
