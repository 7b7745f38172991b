using Trunk.Media.Rtp;

namespace Trunk.Media.Tones;

/// <summary>
/// Plays a <see cref="TonePlan"/> to one leg as RTP in the leg's codec and packet time: its own SSRC, sequence
/// and timestamp, the marker bit on the first packet (RFC 3551 §4.1). Driven by the relay's clock thread only.
/// </summary>
internal sealed class RingbackPlayer
{
    private readonly byte[] _cycle;
    private readonly int _samplesPerPacket;
    private readonly uint _ssrc;
    private int _position;
    private ushort _sequence;
    private uint _timestamp;
    private bool _first = true;

    public RingbackPlayer(TonePlan plan, G711Law law, int ptimeMilliseconds, long startTicks, long packetTicks)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _cycle = plan.Encoded(law);
        _samplesPerPacket = TonePlan.SampleRate / 1000 * ptimeMilliseconds;
        _ssrc = (uint)Random.Shared.Next();
        _sequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        _timestamp = (uint)Random.Shared.Next();
        NextDueTicks = startTicks;
        PacketTicks = packetTicks;
        Plan = plan;
    }

    public TonePlan Plan { get; }

    public long NextDueTicks { get; private set; }

    public long PacketTicks { get; }

    /// <summary>Writes the next packet into <paramref name="buffer"/> and returns its length.</summary>
    public int WriteNext(Span<byte> buffer, int payloadType)
    {
        RtpHeader.Write(buffer, payloadType, _first, _sequence, _timestamp, _ssrc);
        var payload = buffer.Slice(RtpHeader.FixedLength, _samplesPerPacket);
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = _cycle[_position];
            _position = _position + 1 == _cycle.Length ? 0 : _position + 1;
        }

        _first = false;
        _sequence++;
        _timestamp += (uint)_samplesPerPacket;
        NextDueTicks += PacketTicks;
        return RtpHeader.FixedLength + _samplesPerPacket;
    }
}
