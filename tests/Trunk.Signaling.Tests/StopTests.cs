using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// A Signaling instance that stops (SIGTERM: a deployment, a scale-in) ends the calls it holds instead of dropping them:
/// every leg gets its BYE and the call's end is published, so that its history is whole and its money settled.
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class StopTests(SignalingFixture fixture)
{
    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_the_instance_stops_with_a_call_up_Should_BYE_both_legs_and_publish_the_calls_end()
    {
        var sipPort = FreePort.UdpAndTcp();
        await using var host = ServiceProcess.Start("Signaling", SignalingFixture.HostSettings(sipPort));
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [endpoint.Uri]);
        await using var caller = Sipp.Client(Scenario.Write("caller_waits_for_bye.xml", Values()), sipPort, did);
        var call = await _world.WaitForCallAsync(did);
        await call.WaitForAsync<CallAnswered>();

        await host.StopAsync(TimeSpan.FromSeconds(30));

        await caller.AssertPassedAsync("caller", () => host.Output);
        await endpoint.AssertPassedAsync("endpoint", () => host.Output);
        var ended = await call.WaitForAsync<CallEnded>();
        Assert.Equal("service_stopping", ended.HangupCause);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Caller && l.HungUpBy is null);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint && l.HungUpBy is null);
    }
}
