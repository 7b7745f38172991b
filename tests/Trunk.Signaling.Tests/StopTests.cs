using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// A Signaling instance that stops (SIGTERM: a deployment, a scale-in) drains: new INVITEs and OPTIONS get 503 with
/// Retry-After, so that the carrier routes new calls elsewhere, while the calls up go on for up to
/// <c>Sip:DrainTimeout</c>; then it ends the calls still up instead of dropping them: every leg gets its BYE and the
/// call's end is published, so that its history is whole and its money settled.
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class StopTests(SignalingFixture fixture)
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    /// <summary>The drain's 503 says when to come back: a whole number of seconds, at least one.</summary>
    private const string RetryAfter = "Retry-After: [1-9][0-9]*";

    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_the_instance_stops_with_a_call_up_Should_refuse_new_calls_with_503_and_let_the_call_end_by_itself()
    {
        await using var up = await CallUpAsync("00:01:00", Scenario.Write("caller_hangs_up.xml", Values(("HOLD_MS", "8000"))));
        var (host, endpoint, caller, call, did, sipPort) = up;

        var stopping = host.StopAsync(StopLimit);
        await WaitForOutputAsync(host, "new INVITEs and OPTIONS get 503");
        var options = Values(("METHOD", "OPTIONS"), ("MAX_FORWARDS", "70"), ("TO_TAG", ""), ("CODE", "503"), ("HEADER_REGEX", RetryAfter), ("EXTRA_HEADERS", ""));
        await using (var probe = Sipp.Client(Scenario.Write("request_out_of_dialog.xml", options), sipPort, TrunkWorld.NewDid()))
        {
            await probe.AssertPassedAsync("OPTIONS probe", () => host.Output);
        }

        await using (var late = Sipp.Client(Scenario.Write("caller_rejected.xml", Values(("CODE", "503"), ("HEADER_REGEX", RetryAfter))), sipPort, did))
        {
            await late.AssertPassedAsync("caller after the stop", () => host.Output);
        }

        await caller.AssertPassedAsync("caller", () => host.Output);
        await endpoint.AssertPassedAsync("endpoint", () => host.Output);
        var took = await stopping;
        Assert.True(host.HasExited, $"Signaling still runs {took} after SIGTERM with its call ended\n{host.Output}");
        Assert.Equal(0, host.ExitCode);
        var ended = await call.WaitForAsync<CallEnded>();
        Assert.Equal("caller_hangup", ended.HangupCause);
        Assert.Single(_world.CallsTo(did));
    }

    [Fact]
    public async Task When_a_call_is_still_up_after_the_drain_Should_BYE_both_legs_and_publish_the_calls_end()
    {
        await using var up = await CallUpAsync("00:00:01", Scenario.Write("caller_waits_for_bye.xml", Values()));
        var (host, endpoint, caller, call, _, _) = up;

        await host.StopAsync(StopLimit);

        await caller.AssertPassedAsync("caller", () => host.Output);
        await endpoint.AssertPassedAsync("endpoint", () => host.Output);
        var ended = await call.WaitForAsync<CallEnded>();
        Assert.Equal("service_stopping", ended.HangupCause);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Caller && l.HungUpBy is null);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint && l.HungUpBy is null);
    }

    /// <summary>A Signaling process with <paramref name="drainTimeout"/>, and a call answered through it by a SIPp endpoint.</summary>
    private async Task<CallUp> CallUpAsync(string drainTimeout, string callerScenario)
    {
        var sipPort = FreePort.UdpAndTcp();
        var settings = SignalingFixture.HostSettings(sipPort);
        settings["Sip__DrainTimeout"] = drainTimeout;
        var host = ServiceProcess.Start("Signaling", settings);
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
        var did = TrunkWorld.NewDid();
        var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);
        var caller = Sipp.Client(callerScenario, sipPort, did);
        var call = await _world.WaitForCallAsync(did);
        await call.WaitForAsync<CallAnswered>();
        return new CallUp(host, endpoint, caller, call, did, sipPort);
    }

    private sealed record CallUp(ServiceProcess Host, Sipp Endpoint, Sipp Caller, CallLog Call, string Did, int SipPort) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Caller.DisposeAsync();
            await Endpoint.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task WaitForOutputAsync(ServiceProcess host, string text)
    {
        var deadline = DateTime.UtcNow + StopLimit;
        while (!host.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Signaling never logged '{text}'\n{host.Output}");
            await Task.Delay(50);
        }
    }
}
