using Trunk.Testing.Rtp;
using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Rtp;
using Trunk.Media.Tests.Support;

namespace Trunk.Media.Tests.Control;

/// <summary>Signaling's and the transfer saga's side of Media, over the real RabbitMQ: a first call, a transfer, the end.</summary>
public sealed class BusControlTests(MediaHost host) : IClassFixture<MediaHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task When_a_call_is_transferred_over_the_bus_Should_relay_ringback_then_the_target_and_publish_the_facts()
    {
        var call = Guid.NewGuid();
        using var caller = new RtpPeer();
        using var endpoint = new RtpPeer();
        using var target = new RtpPeer();
        var now = TimeProvider.System.GetUtcNow();

        var callerAnswer = await host.SharedQueue.GetResponse<MediaAllocated>(new AllocateMedia(call, now, LegSide.Caller, Sdp.Pcmu(caller.Port)));
        var queue = callerAnswer.Message.Queue;
        var instance = host.InstanceQueue(queue);
        var endpointOffer = await instance.GetResponse<MediaAllocated>(new AllocateMedia(call, now, LegSide.Endpoint, ""));
        await instance.GetResponse<MediaAllocated>(new AllocateMedia(call, now, LegSide.Endpoint, Sdp.Pcmu(endpoint.Port)));
        var callerSendsTo = Sdp.MediaAddress(callerAnswer.Message.LocalSdp);
        caller.Send(callerSendsTo, 0, new byte[160]);
        var firstCall = endpoint.Receive(Wait);

        var commands = await host.Commands(queue);
        await commands.Send(new StartRingback(call, now, LegSide.Caller, "US"));
        var tone = caller.Receive(Wait);
        var targetOffer = await instance.GetResponse<MediaAllocated>(new AllocateMedia(call, now, LegSide.Target, ""));
        await instance.GetResponse<MediaAllocated>(new AllocateMedia(call, now, LegSide.Target, Sdp.Pcma(target.Port)));
        await commands.Send(new BridgeMedia(call, now, LegSide.Caller, LegSide.Target));
        var bridged = await host.WaitFor<MediaBridged>(b => b.CallId == call);
        target.Send(Sdp.MediaAddress(targetOffer.Message.LocalSdp), 8, [.. Enumerable.Repeat((byte)0xD5, 160)]);
        var heard = caller.ReceiveUntil(p => p.Ssrc == target.Ssrc, Wait);
        foreach (var leg in new[] { LegSide.Caller, LegSide.Endpoint, LegSide.Target })
        {
            await commands.Send(new ReleaseMedia(call, now, leg));
        }

        var stats = await host.WaitFor<MediaStats>(s => s.CallId == call && s.Leg == LegSide.Caller);
        Assert.StartsWith(host.QueuePrefix + "media-", queue, StringComparison.Ordinal);
        Assert.Equal(Sdp.MediaAddress(endpointOffer.Message.LocalSdp).Address, callerSendsTo.Address);
        Assert.NotNull(firstCall);
        Assert.NotNull(tone);
        Assert.Equal(["PCMU", "PCMA", "telephone-event"], Sdp.Codecs(targetOffer.Message.LocalSdp).Select(c => c.EncodingName));
        Assert.Equal((LegSide.Caller, LegSide.Target, "PCMU-PCMA"), (bridged.From, bridged.To, bridged.Transcoding));
        Assert.Equal(G711.ALawToMuLaw[0xD5], heard?.Payload[0]);
        Assert.Equal(1, stats.Packets);
        await host.WaitFor<MediaStats>(s => s.CallId == call && s.Leg == LegSide.Target);
    }

    [Fact]
    public async Task When_the_offer_has_no_g711_Should_answer_MediaAllocationFailed_488()
    {
        var offer = Sdp.Audio(4000, "18 G729/8000");

        var response = await host.SharedQueue.GetResponse<MediaAllocated, MediaAllocationFailed>(
            new AllocateMedia(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), LegSide.Caller, offer));

        Assert.True(response.Is(out Response<MediaAllocationFailed>? failed));
        Assert.Equal(488, failed.Message.SipCode);
    }

    [Fact]
    public async Task When_the_ports_run_out_Should_answer_MediaAllocationFailed_503()
    {
        var calls = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        var responses = new List<Response<MediaAllocated, MediaAllocationFailed>>();
        foreach (var call in calls)
        {
            responses.Add(await host.SharedQueue.GetResponse<MediaAllocated, MediaAllocationFailed>(
                new AllocateMedia(call, TimeProvider.System.GetUtcNow(), LegSide.Caller, Sdp.Pcmu(4000))));
        }

        var failures = responses.Select(r => r.Is(out Response<MediaAllocationFailed>? f) ? f.Message : null).OfType<MediaAllocationFailed>().ToList();
        foreach (var (call, response) in calls.Zip(responses))
        {
            if (response.Is(out Response<MediaAllocated>? allocated))
            {
                await (await host.Commands(allocated.Message.Queue)).Send(new ReleaseMedia(call, TimeProvider.System.GetUtcNow(), LegSide.Caller));
            }
        }

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal((503, "no free media ports"), (f.SipCode, f.Reason)));
    }
}
