using System.Globalization;
using System.Net;
using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Tests.Support;
using Trunk.Testing;
using Trunk.Testing.Messaging;
using Trunk.Testing.Rtp;

namespace Trunk.Media.Tests.Control;

/// <summary>
/// A Media instance that stops (SIGTERM: a deployment, a scale-in) drains: it leaves the new calls' allocations on the
/// shared queue to the other instances, while it goes on relaying the calls anchored on it until their legs are
/// released or <c>Media:DrainTimeout</c> passes; then it releases the legs still anchored, their statistics published.
/// Real Media processes on the test broker, with queues of their own (a prefix), and RTP on loopback.
/// </summary>
public sealed class MediaDrainTests : IAsyncLifetime
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    /// <summary>What a draining instance logs first.</summary>
    private const string Draining = "the shared media queue is left to the other instances";

    private readonly string _prefix = $"test-{Guid.NewGuid().ToString("N")[..10]}-";
    private readonly int _portMin = 28000 + (Random.Shared.Next(0, 25) * 80);
    private MessageListener<MediaStats> _facts = null!;

    private IRequestClient<AllocateMedia> SharedQueue => _facts.ListenerBus.CreateRequestClient<AllocateMedia>(
        new Uri($"queue:{_prefix}media?autodelete=true"), RequestTimeout.After(s: 10));

    public async Task InitializeAsync() => _facts = await MessageListener<MediaStats>.StartAsync(_prefix + "media-stats");

    public async Task DisposeAsync() => await _facts.DisposeAsync();

    [Fact]
    public async Task When_the_instance_stops_with_a_call_anchored_Should_relay_it_leave_new_allocations_to_another_instance_and_exit_once_it_is_released()
    {
        await using var draining = await StartAsync(0, "00:00:30");
        using var caller = new RtpPeer();
        using var endpoint = new RtpPeer();
        var call = await AnchorAsync(caller, endpoint);
        await using var other = await StartAsync(1, "00:00:30");

        var stopping = await BeginStopAsync(draining);
        var takenBy = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var allocated = await SharedQueue.GetResponse<MediaAllocated>(
                new AllocateMedia(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), LegSide.Caller, Sdp.Pcmu(4000)));
            takenBy.Add(allocated.Message.Queue);
        }

        caller.Send(call.CallerSendsTo, 0, new byte[160]);
        var relayed = endpoint.Receive(Wait);
        var drainingAfterTheAllocations = !draining.HasExited;
        await call.ReleaseAsync(_facts.ListenerBus);
        var took = await stopping;

        Assert.NotNull(relayed);
        Assert.True(drainingAfterTheAllocations, $"Media exited before the call was released\n{draining.Output}");
        Assert.All(takenBy, queue => Assert.NotEqual(call.Queue, queue));
        Assert.True(draining.HasExited, $"Media still runs {took} after SIGTERM with its call released\n{draining.Output}");
        Assert.Equal(0, draining.ExitCode);
        Assert.Contains("Stopping: no call anchored after", draining.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_call_is_still_anchored_after_the_drain_Should_release_its_legs_and_publish_their_statistics()
    {
        await using var host = await StartAsync(0, "00:00:05");
        using var caller = new RtpPeer();
        using var endpoint = new RtpPeer();
        var call = await AnchorAsync(caller, endpoint);

        var stopping = await BeginStopAsync(host);
        caller.Send(call.CallerSendsTo, 0, new byte[160]);
        var relayed = endpoint.Receive(Wait);
        await stopping;
        var released = await _facts.WaitForAsync(s => s.CallId == call.Id, 2);

        Assert.NotNull(relayed);
        Assert.Equal(0, host.ExitCode);
        Assert.Equal([LegSide.Caller, LegSide.Endpoint], released.Select(s => s.Leg).Order());
        Assert.Equal(1, released.Single(s => s.Leg == LegSide.Caller).Packets);
        Assert.Contains("Stopping: released the legs of 1 calls still anchored after the drain", host.Output, StringComparison.Ordinal);
    }

    /// <summary>The <paramref name="index"/>th Media process of the test, with the test's queue prefix and a port range of its own.</summary>
    private async Task<ServiceProcess> StartAsync(int index, string drainTimeout)
    {
        var portMin = _portMin + (index * 40);
        var host = ServiceProcess.Start("Media", new Dictionary<string, string?>
        {
            ["Media__QueuePrefix"] = _prefix,
            ["Media__PortMin"] = portMin.ToString(CultureInfo.InvariantCulture),
            ["Media__PortMax"] = (portMin + 39).ToString(CultureInfo.InvariantCulture),
            ["Media__DrainTimeout"] = drainTimeout,
        });
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>A first call anchored through the shared queue, as Signaling sets it up: the caller's offer, then the endpoint's.</summary>
    private async Task<AnchoredCall> AnchorAsync(RtpPeer caller, RtpPeer endpoint)
    {
        var id = Guid.NewGuid();
        var now = TimeProvider.System.GetUtcNow();
        var callerAnswer = await SharedQueue.GetResponse<MediaAllocated>(new AllocateMedia(id, now, LegSide.Caller, Sdp.Pcmu(caller.Port)));
        var queue = callerAnswer.Message.Queue;
        var instance = _facts.ListenerBus.CreateRequestClient<AllocateMedia>(new Uri($"queue:{queue}?autodelete=true"), RequestTimeout.After(s: 10));
        await instance.GetResponse<MediaAllocated>(new AllocateMedia(id, now, LegSide.Endpoint, ""));
        await instance.GetResponse<MediaAllocated>(new AllocateMedia(id, now, LegSide.Endpoint, Sdp.Pcmu(endpoint.Port)));
        return new AnchoredCall(id, queue, Sdp.MediaAddress(callerAnswer.Message.LocalSdp));
    }

    /// <summary>Sends SIGTERM and waits until the host began its drain, or exited (what it did then is for the test to check); returns the stop under way.</summary>
    private static async Task<Task<TimeSpan>> BeginStopAsync(ServiceProcess host)
    {
        var stopping = host.StopAsync(StopLimit);
        var deadline = DateTime.UtcNow + StopLimit;
        while (!host.Output.Contains(Draining, StringComparison.Ordinal) && !host.HasExited)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Media never logged '{Draining}'\n{host.Output}");
            await Task.Delay(50);
        }

        return stopping;
    }

    private sealed record AnchoredCall(Guid Id, string Queue, IPEndPoint CallerSendsTo)
    {
        /// <summary>Signaling's hang-up: <see cref="ReleaseMedia"/> of each leg to the call's instance queue.</summary>
        public async Task ReleaseAsync(IBus bus)
        {
            var commands = await bus.GetSendEndpoint(new Uri($"queue:{Queue}?autodelete=true"));
            foreach (var leg in new[] { LegSide.Caller, LegSide.Endpoint })
            {
                await commands.Send(new ReleaseMedia(Id, TimeProvider.System.GetUtcNow(), leg));
            }
        }
    }
}
