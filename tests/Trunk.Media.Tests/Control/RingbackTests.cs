using Trunk.Testing.Rtp;
using Trunk.Contracts;
using Trunk.Media.Rtp;
using Trunk.Media.Tests.Support;

namespace Trunk.Media.Tests.Control;

/// <summary>A transfer as the caller hears it: ringback (or the target's early media) while the target rings, then the target.</summary>
public sealed class RingbackTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private readonly Support.Relay _relay = new();
    private readonly Guid _call = Guid.NewGuid();
    private readonly RtpPeer _caller = new();
    private readonly RtpPeer _endpoint = new();
    private readonly RtpPeer _target = new();

    [Fact]
    public void When_the_target_rings_the_caller_should_hear_us_ringback_then_the_target_after_the_bridge()
    {
        var (callerSendsTo, endpointSendsTo) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);
        _caller.Send(callerSendsTo, 0, Silence(0xFF));

        Assert.True(_relay.Calls.StartRingback(_call, LegSide.Caller, "US"));
        _endpoint.Send(endpointSendsTo, 0, Silence(0xFF));
        var tone = Collect(_caller, 25);
        var offer = _relay.Anchor(_call, LegSide.Target, null);
        _relay.Anchor(_call, LegSide.Target, Sdp.Pcma(_target.Port));
        var transcoding = _relay.Calls.Bridge(_call, LegSide.Caller, LegSide.Target);
        var targetSendsTo = Sdp.MediaAddress(offer);
        var voice = Enumerable.Range(0, 160).Select(i => (byte)(i + 40)).ToArray();
        _target.Send(targetSendsTo, 8, voice);
        var heard = _caller.ReceiveUntil(p => p.Ssrc == _target.Ssrc, Wait);

        Assert.All(tone, p => Assert.Equal((0, 160), (p.PayloadType, p.Payload.Length)));
        Assert.DoesNotContain(tone, p => p.Ssrc == _endpoint.Ssrc);
        var samples = tone.SelectMany(p => p.Payload).Select(b => G711.Decode(G711Law.MuLaw, b)).ToList();
        var (at440, at480, at1000, at350) = (Goertzel.Power(samples, 440), Goertzel.Power(samples, 480), Goertzel.Power(samples, 1000), Goertzel.Power(samples, 350));
        Assert.True(at440 > 100 * at1000 && at480 > 100 * at1000 && at440 > 100 * at350, $"440: {at440:E2}, 480: {at480:E2}, 1000: {at1000:E2}, 350: {at350:E2}");
        Assert.Equal("PCMU-PCMA", transcoding);
        Assert.NotNull(heard);
        Assert.Equal(0, heard.PayloadType);
        Assert.Equal(voice.Select(b => G711.Encode(G711Law.MuLaw, G711.Decode(G711Law.ALaw, b))), heard.Payload);
        Assert.Null(_caller.ReceiveUntil(p => p.Ssrc == tone[0].Ssrc, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void When_the_target_sends_early_media_the_caller_should_hear_it_instead_of_the_tone()
    {
        var (callerSendsTo, _) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);
        _caller.Send(callerSendsTo, 0, Silence(0xFF));
        _relay.Calls.StartRingback(_call, LegSide.Caller, "GB");
        var tone = _caller.Receive(Wait);

        var targetSendsTo = Sdp.MediaAddress(_relay.Anchor(_call, LegSide.Target, null));
        _relay.Anchor(_call, LegSide.Target, Sdp.Pcmu(_target.Port));
        _target.Send(targetSendsTo, 0, Silence(0x42));
        var announcement = _caller.ReceiveUntil(p => p.Ssrc == _target.Ssrc, Wait);

        Assert.NotNull(tone);
        Assert.Equal(Silence(0x42), announcement?.Payload);
        Assert.Null(_caller.ReceiveUntil(p => p.Ssrc == tone.Ssrc, TimeSpan.FromMilliseconds(200)));
    }

    public void Dispose()
    {
        _caller.Dispose();
        _endpoint.Dispose();
        _target.Dispose();
        _relay.Dispose();
    }

    private static byte[] Silence(byte value) => [.. Enumerable.Repeat(value, 160)];

    private static List<ReceivedRtp> Collect(RtpPeer peer, int count)
    {
        var packets = new List<ReceivedRtp>();
        while (packets.Count < count && peer.Receive(Wait) is { } packet)
        {
            packets.Add(packet);
        }

        Assert.Equal(count, packets.Count);
        return packets;
    }
}
