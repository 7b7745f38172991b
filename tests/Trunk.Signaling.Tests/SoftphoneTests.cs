using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// A real softphone as the endpoint (issue 4): baresip answers the call by itself and, told through ctrl_tcp, does a
/// blind transfer; SIPp plays caller and target, the saga double the Transfer saga.
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class SoftphoneTests(SignalingFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_baresip_blind_transfers_the_caller_Should_bridge_the_caller_to_the_target_and_release_baresip()
    {
        var did = TrunkWorld.NewDid();
        await using var phone = Baresip.Start();
        await phone.ConnectAsync(Wait);
        await using var target = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        _world.AddTrunk(did, [phone.Uri], target.Uri);

        await using var caller = Sipp.Client(Scenario.Write("caller_transferred.xml", Values(("HOLD_MS", "1000"))), fixture.SipPort, did);
        await phone.WaitForEventAsync("CALL_ESTABLISHED", Wait);
        await phone.CommandAsync("transfer", $"sip:+4930111222@{TrunkWorld.Domain}", Wait);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await target.AssertPassedAsync("target", fixture.Diagnostics);
        await phone.WaitForEventAsync("CALL_CLOSED", Wait);
        var call = await _world.WaitForCallAsync(did);
        Assert.Equal("+4930111222", (await call.WaitForAsync<ReferReceived>()).TargetNumber);
        await call.WaitForAsync<CallBridged>();
        Assert.Equal("caller_hangup", (await call.WaitForAsync<CallEnded>()).HangupCause);
        Assert.Contains(call.All<LegHungUp>(), l => l.Leg == LegSide.Endpoint);
    }
}
