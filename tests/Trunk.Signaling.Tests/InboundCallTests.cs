using System.Text.RegularExpressions;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>The B2BUA from DID to termination URI (issue 4, Inbound calls), SIPp playing caller and endpoint over UDP.</summary>
[Collection(SignalingCollection.Name)]
public sealed class InboundCallTests(SignalingFixture fixture)
{
    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_the_caller_hangs_up_Should_relay_the_call_with_the_callers_number_and_BYE_the_endpoint()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values()), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var call = await _world.WaitForCallAsync(did);
        Assert.Equal(CallerNumber, call.Received.CallerNumber);
        var ended = await call.WaitForAsync<CallEnded>();
        Assert.Equal("caller_hangup", ended.HangupCause);
        Assert.Equal(endpoint.Uri, (await call.WaitForAsync<EndpointDialled>()).TerminationUri);
        await call.WaitForAsync<CallAnswered>();
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Caller && l.HungUpBy == LegSide.Caller);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint);
        var traced = await call.WaitForAsync<SipMessagesTraced>();
        Assert.Contains(traced.Messages, m => m.Leg == LegSide.Caller && m.Direction == SipDirection.Received && m.Raw.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.Contains(traced.Messages, m => m.Leg == LegSide.Endpoint && m.Direction == SipDirection.Sent && m.Raw.StartsWith("INVITE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_listening_on_every_interface_Should_put_the_advertised_address_in_Via_and_Contact()
    {
        var did = TrunkWorld.NewDid();
        var advertised = $@"127\.0\.0\.2:{fixture.SipPort}";
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml",
            Values(("INVITE_REGEX", $@"Via: SIP/2\.0/UDP {advertised};branch=.*Contact: .sip:trunk@{advertised}>"))));
        _world.AddTrunk(did, [endpoint.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values(("ANSWER_REGEX", $"Contact: .sip:trunk@{advertised}>"))),
            fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var sent = (await (await _world.WaitForCallAsync(did)).WaitForAsync<SipMessagesTraced>()).Messages.Where(m => m.Direction == SipDirection.Sent).ToList();
        Assert.DoesNotContain("0.0.0.0:", string.Concat(sent.Select(m => m.Raw)), StringComparison.Ordinal);
        // The trace shows the INVITE to the endpoint as it went out: with the Via the stack put on top.
        Assert.Matches(new Regex($@"^INVITE [^\r\n]*\r\nVia: SIP/2\.0/UDP {advertised};branch=z9hG4bK"),
            Assert.Single(sent, m => m.Leg == LegSide.Endpoint && m.Raw.StartsWith("INVITE ", StringComparison.Ordinal)).Raw);
    }

    [Fact]
    public async Task When_caller_and_endpoint_speak_TCP_Should_relay_the_call_over_TCP()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml",
            Values(("INVITE_REGEX", $@"Via: SIP/2\.0/TCP [^;]*;branch=.*Contact: .sip:trunk@127\.0\.0\.2:{fixture.SipPort};transport=tcp>"))), transport: Sipp.Tcp);
        _world.AddTrunk(did, [endpoint.Uri + ";transport=tcp"]);

        await using var caller = Sipp.ClientOver(Sipp.Tcp, Scenario.Write("caller_hangs_up.xml", Values(("ANSWER_REGEX", "Contact: .sip:trunk@[^>]*;transport=tcp>"))),
            fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var traced = await (await _world.WaitForCallAsync(did)).WaitForAsync<SipMessagesTraced>();
        Assert.All(traced.Messages, m => Assert.Equal("TCP", m.Transport));
    }

    [Fact]
    public async Task When_the_caller_re_INVITEs_and_the_endpoint_sends_UPDATE_Should_relay_each_to_the_other_leg_and_its_answer_back()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_reinvited.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_reinvites.xml", Values()), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        Assert.Equal("caller_hangup", (await (await _world.WaitForCallAsync(did)).WaitForAsync<CallEnded>()).HangupCause);
    }

    [Fact]
    public async Task When_the_endpoint_hangs_up_Should_BYE_the_caller()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_hangs_up.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_waits_for_bye.xml", Values()), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var ended = await (await _world.WaitForCallAsync(did)).WaitForAsync<CallEnded>();
        Assert.Equal("endpoint_hangup", ended.HangupCause);
    }

    [Fact]
    public async Task When_the_caller_cancels_while_the_endpoint_rings_Should_CANCEL_the_endpoint_and_answer_487()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_rings_until_cancel.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_cancels.xml", Values()), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var ended = await (await _world.WaitForCallAsync(did)).WaitForAsync<CallEnded>();
        Assert.Equal("caller_cancelled", ended.HangupCause);
    }

    [Fact]
    public async Task When_the_primary_termination_URI_answers_503_Should_fall_over_to_the_second()
    {
        var did = TrunkWorld.NewDid();
        await using var primary = Sipp.Server(Scenario.Write("uas_fails.xml", Values(("CODE", "503"), ("REASON", "Service Unavailable"))));
        await using var fallback = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [primary.Uri, fallback.Uri]);

        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values()), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await primary.AssertPassedAsync("primary endpoint", fixture.Diagnostics);
        await fallback.AssertPassedAsync("fallback endpoint", fixture.Diagnostics);
        var call = await _world.WaitForCallAsync(did);
        await call.WaitForAsync<CallEnded>();
        Assert.Equal([1, 2], call.All<EndpointDialled>().Select(d => d.Attempt));
        Assert.Equal(fallback.Uri, (await call.WaitForAsync<CallAnswered>()).TerminationUri);
    }

    [Fact]
    public async Task When_the_endpoint_is_busy_Should_pass_486_to_the_caller_without_fail_over()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_fails.xml", Values(("CODE", "486"), ("REASON", "Busy Here"))));
        _world.AddTrunk(did, [endpoint.Uri, "sip:127.0.0.1:9"]);

        await using var caller = Sipp.Client(Scenario.Write("caller_rejected.xml", Values(("CODE", "486"))), fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var call = await _world.WaitForCallAsync(did);
        Assert.Equal("endpoint_rejected", (await call.WaitForAsync<CallEnded>()).HangupCause);
        Assert.Single(call.All<EndpointDialled>());
    }

    [Fact]
    public async Task When_the_trunks_media_is_anchored_and_Media_does_not_answer_Should_answer_503_with_Retry_After_and_dial_no_endpoint()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri], media: MediaMode.Anchored);

        await using var caller = Sipp.Client(Scenario.Write("caller_rejected.xml", Values(("CODE", "503"), ("HEADER_REGEX", "Retry-After: [0-9]+"))),
            fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        var call = await _world.WaitForCallAsync(did);
        var ended = await call.WaitForAsync<CallEnded>();
        Assert.Equal(("media_unavailable", 503), (ended.HangupCause, ended.SipCode));
        Assert.Empty(call.All<EndpointDialled>());
    }

    [Fact]
    public async Task When_the_DID_belongs_to_no_trunk_Should_answer_404()
    {
        await using var caller = Sipp.Client(Scenario.Write("caller_rejected.xml", Values(("CODE", "404"))), fixture.SipPort, TrunkWorld.NewDid());

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
    }

    [Fact]
    public async Task When_a_trunk_is_over_its_calls_per_second_Should_answer_503_with_Retry_After()
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_fails.xml", Values(("CODE", "486"), ("REASON", "Busy Here"))));
        _world.AddTrunk(did, [endpoint.Uri], callsPerSecond: 1);
        await Task.Delay(TimeSpan.FromMilliseconds(1050 - DateTimeOffset.UtcNow.Millisecond));

        // Two calls 100 ms apart in one second: one reaches the endpoint (486), the other gets 503 with Retry-After.
        await using var callers = Sipp.Client(Scenario.Write("caller_limited.xml", Values()), fixture.SipPort, did, 2, "-r", "10");

        await callers.AssertPassedAsync("callers", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        // The calls' events come over the bus after SIPp is done: the one call's end, before counting the calls.
        await (await _world.WaitForCallAsync(did)).WaitForAsync<CallEnded>();
        Assert.Single(_world.CallsTo(did));
        Assert.Contains("is over its calls-per-second limit", fixture.Host.Output, StringComparison.Ordinal);
    }
}
