using Trunk.Testing.Rtp;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Rtp;
using Trunk.Media.Tests.Support;

namespace Trunk.Media.Tests.Relay;

/// <summary>A first call relayed through real UDP sockets on loopback: caller ⇄ endpoint.</summary>
public sealed class RelayTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private readonly Support.Relay _relay = new();
    private readonly Guid _call = Guid.NewGuid();
    private readonly RtpPeer _caller = new();
    private readonly RtpPeer _endpoint = new();

    [Fact]
    public void Should_relay_audio_both_ways_and_answer_from_the_media_address()
    {
        var (callerSendsTo, endpointSendsTo) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);

        _caller.Send(callerSendsTo, 0, Payload(1));
        var atEndpoint = _endpoint.Receive(Wait);
        _endpoint.Send(endpointSendsTo, 0, Payload(2));
        var atCaller = _caller.Receive(Wait);

        Assert.Equal(Payload(1), atEndpoint?.Payload);
        Assert.Equal(endpointSendsTo, atEndpoint?.From);
        Assert.Equal(Payload(2), atCaller?.Payload);
        Assert.Equal(callerSendsTo, atCaller?.From);
        Assert.Equal(0, callerSendsTo.Port % 2);
        Assert.InRange(callerSendsTo.Port, _relay.Settings.PortMin, _relay.Settings.PortMax);
    }

    [Fact]
    public void Should_offer_the_endpoint_the_callers_codec_first()
    {
        _relay.Anchor(_call, LegSide.Caller, Sdp.Pcma(_caller.Port));
        var offer = _relay.Anchor(_call, LegSide.Endpoint, null);

        Assert.Equal(["PCMA", "PCMU", "telephone-event"], Sdp.Codecs(offer).Select(c => c.EncodingName));
    }

    [Fact]
    public void Should_keep_the_session_when_the_200_repeats_the_183s_answer()
    {
        var callerSendsTo = Sdp.MediaAddress(_relay.Anchor(_call, LegSide.Caller, Sdp.Pcmu(_caller.Port)));
        var offer = _relay.Anchor(_call, LegSide.Endpoint, null);
        var afterEarlyMedia = _relay.Anchor(_call, LegSide.Endpoint, Sdp.Pcmu(_endpoint.Port));

        var afterAnswer = _relay.Anchor(_call, LegSide.Endpoint, Sdp.Pcmu(_endpoint.Port));
        _caller.Send(callerSendsTo, 0, Payload(9));

        Assert.Equal(offer, afterEarlyMedia);
        Assert.Equal(offer, afterAnswer);
        Assert.Equal(Payload(9), _endpoint.Receive(Wait)?.Payload);
        Assert.Equal(4, _relay.Engine.PortsInUse);
    }

    [Fact]
    public void Should_transcode_mu_law_to_a_law_and_back_sample_by_sample()
    {
        var (callerSendsTo, endpointSendsTo) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcma);
        var everyCode = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        _caller.Send(callerSendsTo, 0, everyCode);
        var atEndpoint = _endpoint.Receive(Wait)!;
        _endpoint.Send(endpointSendsTo, 8, everyCode);
        var atCaller = _caller.Receive(Wait)!;

        Assert.Equal(8, atEndpoint.PayloadType);
        Assert.Equal(0, atCaller.PayloadType);
        for (var i = 0; i < 256; i++)
        {
            Assert.Equal(G711.Encode(G711Law.ALaw, G711.Decode(G711Law.MuLaw, everyCode[i])), atEndpoint.Payload[i]);
            Assert.Equal(G711.Encode(G711Law.MuLaw, G711.Decode(G711Law.ALaw, everyCode[i])), atCaller.Payload[i]);
        }
    }

    [Fact]
    public void Should_pass_telephone_events_with_each_legs_payload_type()
    {
        var callerOffer = Sdp.Audio(_caller.Port, "0 PCMU/8000", "96 telephone-event/8000");
        var (callerSendsTo, endpointSendsTo) = _relay.Connect(_call, _caller, callerOffer, _endpoint, Sdp.Pcmu);
        byte[] digitFive = [5, 0x0A, 0x00, 0xA0];
        byte[] digitFiveEnd = [5, 0x8A, 0x03, 0x20];

        _caller.Send(callerSendsTo, 96, digitFive, marker: true, advanceTimestamp: false);
        _caller.Send(callerSendsTo, 96, digitFiveEnd, advanceTimestamp: false);
        var start = _endpoint.Receive(Wait)!;
        var end = _endpoint.Receive(Wait)!;
        _endpoint.Send(endpointSendsTo, 101, digitFive, marker: true);
        var back = _caller.Receive(Wait)!;

        Assert.Equal((101, true), (start.PayloadType, start.Marker));
        Assert.Equal(digitFive, start.Payload);
        Assert.Equal((101, false), (end.PayloadType, end.Marker));
        Assert.Equal(digitFiveEnd, end.Payload);
        Assert.Equal(start.Timestamp, end.Timestamp);
        Assert.Equal(96, back.PayloadType);
        Assert.Equal(digitFive, back.Payload);
    }

    [Fact]
    public void Should_latch_onto_the_port_the_peer_really_sends_from_and_follow_it_when_it_changes()
    {
        using var natted = new RtpPeer();
        using var rebound = new RtpPeer();
        var (callerSendsTo, endpointSendsTo) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);

        natted.Send(endpointSendsTo, 0, Payload(3));
        _caller.Receive(Wait);
        _caller.Send(callerSendsTo, 0, Payload(4));
        var atNatted = natted.Receive(Wait);
        rebound.Send(endpointSendsTo, 0, Payload(5));
        var fromRebound = _caller.Receive(Wait);
        _caller.Send(callerSendsTo, 0, Payload(6));
        var atRebound = rebound.Receive(Wait);

        Assert.Equal(Payload(4), atNatted?.Payload);
        Assert.Null(_endpoint.Receive(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(Payload(5), fromRebound?.Payload);
        Assert.Equal(Payload(6), atRebound?.Payload);
    }

    [Fact]
    public void Should_count_and_drop_packets_from_another_address_and_malformed_packets()
    {
        using var stranger = new RtpPeer("127.0.0.2");
        var (callerSendsTo, _) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);
        _caller.Send(callerSendsTo, 0, Payload(1));
        _endpoint.Receive(Wait);

        stranger.Send(callerSendsTo, 0, Payload(66));
        _caller.SendRaw(callerSendsTo, [0x00, 0x01, 0x02]);
        _caller.SendRaw(callerSendsTo, [0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x09]);
        _caller.Send(callerSendsTo, 0, Payload(7));
        var next = _endpoint.Receive(Wait);

        Assert.Equal(Payload(7), next?.Payload);
        Assert.Equal(1, _relay.Engine.UnexpectedSources);
        Assert.Equal(2, _relay.Engine.MalformedPackets);
    }

    [Fact]
    public async Task Should_publish_the_legs_statistics_when_it_is_released()
    {
        var (callerSendsTo, _) = _relay.Connect(_call, _caller, Sdp.Pcmu(_caller.Port), _endpoint, Sdp.Pcmu);
        for (var i = 0; i < 20; i++)
        {
            if (i is 5 or 12)
            {
                _caller.Skip(1);
            }

            _caller.Send(callerSendsTo, 0, Payload(i));
            _endpoint.Receive(Wait);
        }

        _relay.Calls.Release(_call, LegSide.Caller);
        var stats = await _relay.Events.WaitFor<MediaStats>(s => s.Leg == LegSide.Caller, Wait);

        Assert.Equal((_call, 20L, 20L * 160, 2L), (stats.CallId, stats.Packets, stats.Bytes, stats.PacketsLost));
        Assert.NotNull(stats.LastPacketAt);
        Assert.True(stats.JitterMilliseconds >= 0);
    }

    public void Dispose()
    {
        _caller.Dispose();
        _endpoint.Dispose();
        _relay.Dispose();
    }

    private static byte[] Payload(int marker) => [.. Enumerable.Repeat((byte)marker, 160)];
}
