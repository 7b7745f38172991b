using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// ARCHITECTURE.md's NOTIFY table and the rules under it, one test per row: caller, endpoint and target are SIPp; the
/// saga double accepts the REFER and drives the transfer from the target's events.
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class NotifyTests(SignalingFixture fixture)
{
    private const string ReferTo = "Refer-To: <sip:+4930111222@" + TrunkWorld.Domain + ">";
    private const string ReferredBy = "Referred-By: <sip:+4930555000@pbx.example>";
    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_the_target_answers_Should_notify_100_180_200_bridge_the_caller_and_BYE_the_endpoint()
    {
        var call = await TransferAsync(
            // Media passes through: the target's INVITE offers the caller's SDP (caller_transferred.xml's o= line).
            target: Scenario.Write("uas_answers.xml",
                Values(("INVITE_REGEX", @"Referred-By: .sip:\+4930555000@pbx\.example(.|[\r\n])*o=user1 53655765 2353687637 "))),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 200 OK"),
            callerScenario: "caller_transferred.xml");

        Assert.Equal("+4930111222", (await call.WaitForAsync<TargetDialled>()).TargetNumber);
        Assert.Equal(180, (await call.WaitForAsync<TargetRinging>()).SipCode);
        await call.WaitForAsync<TargetAnswered>();
        await call.WaitForAsync<CallBridged>();
        // Each leg's LegHungUp is published before the call's CallEnded, and recorded in that order.
        await call.WaitForAsync<CallEnded>();
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint && l.HungUpBy is null);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Target);
    }

    [Fact]
    public async Task When_the_target_sends_183_Should_notify_183_Session_Progress()
    {
        await TransferAsync(
            target: Scenario.Write("uas_answers.xml", Values(("RING", "183 Session Progress"))),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 183 Session Progress", "SIP/2.0 200 OK"),
            callerScenario: "caller_transferred.xml");
    }

    [Theory]
    [InlineData("486", "Busy Here")]
    [InlineData("603", "Decline")]
    [InlineData("404", "Not Found")]
    public async Task When_the_target_refuses_Should_notify_its_final_code_and_keep_the_caller_with_the_endpoint(string code, string reason)
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_fails.xml", Values(("CODE", code), ("REASON", reason))),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", $"SIP/2.0 {code} "),
            callerScenario: "caller_hangs_up.xml");

        Assert.Equal(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), (await call.WaitForAsync<TargetFailed>()).SipCode);
        Assert.Equal("caller_hangup", (await call.WaitForAsync<CallEnded>()).HangupCause);
    }

    [Fact]
    public async Task When_the_target_does_not_answer_in_time_Should_CANCEL_it_and_notify_480()
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_rings_until_cancel.xml", Values()),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 480 Temporarily Unavailable"),
            callerScenario: "caller_hangs_up.xml",
            script: new TransferScript(202, RingTimeout: TimeSpan.FromSeconds(1)));

        Assert.Equal(480, (await call.WaitForAsync<TargetFailed>()).SipCode);
    }

    [Fact]
    public async Task When_the_balance_is_insufficient_Should_notify_402()
    {
        await TransferAsync(
            target: null,
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 402 Payment Required"),
            callerScenario: "caller_hangs_up.xml",
            script: new TransferScript(202, Dial: false, NotifyInstead: 402));
    }

    [Fact]
    public async Task When_the_carrier_gateway_is_unreachable_Should_notify_503()
    {
        var call = await TransferAsync(
            target: null,
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 503 "),
            callerScenario: "caller_hangs_up.xml");

        Assert.Equal(503, (await call.WaitForAsync<TargetFailed>()).SipCode);
    }

    [Fact]
    public async Task When_the_endpoint_asks_Refer_Sub_false_Should_answer_202_with_Refer_Sub_false_and_send_no_NOTIFY()
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_answers.xml", Values()),
            endpointNotifies: string.Empty,
            callerScenario: "caller_transferred.xml",
            referHeaders: [ReferTo, "Refer-Sub: false"],
            referResponseRegex: "Refer-Sub: false");

        await call.WaitForAsync<CallBridged>();
        Assert.False((await call.WaitForAsync<ReferReceived>()).NotifyRequested);
    }

    [Fact]
    public async Task When_the_endpoint_hangs_up_after_202_Should_go_on_with_the_transfer()
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_answers.xml", Values()),
            endpointNotifies: Notifies("SIP/2.0 100 Trying").Replace("terminated;reason=noresource", "active", StringComparison.Ordinal),
            callerScenario: "caller_transferred.xml",
            ending: Scenario.Fragment("ending_sends_bye.xml", new Dictionary<string, string>()));

        await call.WaitForAsync<CallBridged>();
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint && l.HungUpBy == LegSide.Endpoint);
    }

    [Fact]
    public async Task When_the_endpoints_BYE_crosses_ours_after_NOTIFY_200_Should_answer_it_200_take_481_to_ours_and_keep_the_bridge()
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_answers.xml", Values()),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 200 OK"),
            callerScenario: "caller_transferred.xml",
            ending: Scenario.Fragment("ending_bye_crosses.xml", new Dictionary<string, string>()));

        await call.WaitForAsync<CallBridged>();
        Assert.Equal("caller_hangup", (await call.WaitForAsync<CallEnded>()).HangupCause);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Target && l.HungUpBy == LegSide.Caller);
        Assert.Single(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint);
    }

    [Fact]
    public async Task When_the_caller_hangs_up_while_the_target_rings_Should_CANCEL_the_target()
    {
        var call = await TransferAsync(
            target: Scenario.Write("uas_rings_until_cancel.xml", Values()),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing").Replace("terminated;reason=noresource", "active", StringComparison.Ordinal),
            callerScenario: "caller_hangs_up.xml",
            // The caller must still be there when the target rings: a CI run under load took over 1.2 s to dial it (the
            // saga double's commands come over the bus); the target rings until CANCEL, its ring timeout is 10 s.
            holdMs: 4000);

        Assert.Equal(487, (await call.WaitForAsync<TargetFailed>()).SipCode);
        Assert.Equal("caller_hangup", (await call.WaitForAsync<CallEnded>()).HangupCause);
    }

    /// <summary>
    /// Runs one transfer: the endpoint answers and REFERs, expects 202 and <paramref name="endpointNotifies"/>; the target
    /// (<paramref name="target"/>, or a silent gateway when null) runs its scenario; the caller runs <paramref name="callerScenario"/>.
    /// </summary>
    private async Task<CallLog> TransferAsync(string? target, string endpointNotifies, string callerScenario, TransferScript? script = null,
        string[]? referHeaders = null, string referResponseRegex = ".*", string? ending = null, int holdMs = 3000)
    {
        var did = TrunkWorld.NewDid();
        var endpointValues = Values(("REFER_HEADERS", Headers(referHeaders ?? [ReferTo, ReferredBy])), ("REFER_CODE", "202"),
            ("REFER_RESPONSE_REGEX", referResponseRegex), ("AFTER_REFER", endpointNotifies));
        if (ending is not null)
        {
            endpointValues["ENDING"] = ending;
        }

        await using var endpoint = Sipp.Server(Scenario.Write("uas_refers.xml", endpointValues));
        await using var targetUas = target is null ? null : Sipp.Server(target);
        var gateway = targetUas is null ? "sip:127.0.0.1:9" : targetUas.Uri;
        _world.AddTrunk(did, [endpoint.Uri], gateway, script: script ?? TransferScript.Accept);

        await using var caller = Sipp.Client(Scenario.Write(callerScenario, Values(("HOLD_MS", holdMs.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        if (targetUas is not null)
        {
            await targetUas.AssertPassedAsync("target", fixture.Diagnostics);
        }

        return await _world.WaitForCallAsync(did);
    }
}
