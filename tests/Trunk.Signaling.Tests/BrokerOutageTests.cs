using System.Globalization;
using System.Text.RegularExpressions;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// ARCHITECTURE.md, Delivery: while RabbitMQ is away, events wait in a bounded buffer and calls go on. A second host
/// reaches the broker through a relay the test cuts and restores (the shared RabbitMQ itself keeps running).
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class BrokerOutageTests(SignalingFixture fixture)
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(60);
    private readonly TrunkWorld _world = fixture.World;

    [Fact]
    public async Task When_RabbitMQ_is_away_Should_keep_answering_calls_and_publish_their_events_once_it_is_back()
    {
        await using var broker = BrokerRelay.Start();
        var sipPort = FreePort.UdpAndTcp();
        var settings = SignalingFixture.HostSettings(sipPort);
        settings["RabbitMq__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var host = ServiceProcess.Start("Signaling", settings);
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()), calls: 2);
        _world.AddTrunk(did, [endpoint.Uri]);

        // A first call while the broker is there: the trunk of the DID is cached.
        await CallAsync(sipPort, did, host);
        await (await _world.WaitForCallAsync(did)).WaitForAsync<CallEnded>();

        broker.Cut();
        await host.WaitForReadinessAsync(r => r.Status != "Healthy", TimeSpan.FromSeconds(30));
        await CallAsync(sipPort, did, host);
        Assert.Single(_world.CallsTo(did));

        broker.Restore();
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        var second = await WaitForSecondCallAsync(did);
        var ended = await second.WaitForAsync<CallEnded>(timeout: Reconnect);
        Assert.Equal("caller_hangup", ended.HangupCause);
        await second.WaitForAsync<CallAnswered>();
        await second.WaitForAsync<SipMessagesTraced>();

        // The outage is in the log, but not every failed try of a message: its first and every 20th (10 s) after.
        var failures = Regex.Matches(host.Output, @"failed \((\d+) times so far\)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, n => Assert.Equal(1, n % 20));
    }

    private static async Task CallAsync(int sipPort, string did, ServiceProcess host)
    {
        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values()), sipPort, did);
        var (exitCode, output) = await caller.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, $"SIPp caller failed (exit {exitCode}):\n{output}\n--- Signaling ---\n{host.Output}");
    }

    private async Task<CallLog> WaitForSecondCallAsync(string did)
    {
        var deadline = DateTime.UtcNow + Reconnect;
        while (DateTime.UtcNow < deadline)
        {
            if (_world.CallsTo(did) is [_, _, ..] calls)
            {
                return calls.OrderBy(c => c.Received.At).Last();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The second call's CallReceived never reached the bus after RabbitMQ came back (DID {did}).");
    }
}
