namespace Trunk.Media.Rtp;

/// <summary>
/// Reception statistics of one source (RFC 3550 A.1 sequence tracking, A.3 loss, A.8 interarrival jitter). Written
/// by the one receive loop that owns the leg; read when the leg ends, so a reader may see a packet's worth of skew.
/// </summary>
internal sealed class RtpStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const uint SequenceModulus = 1 << 16;

    private bool _started;
    private uint _ssrc;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _receivedThisSource;
    private long _expectedBefore;
    private long _receivedBefore;
    private bool _haveTransit;
    private uint _lastTransit;
    private long _jitterQ4;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Stopwatch ticks of the last packet, 0 before the first.</summary>
    public long LastPacketTicks { get; private set; }

    /// <summary>Expected minus received over every source the leg had (A.3); negative for duplicates, reported as 0.</summary>
    public long PacketsLost
    {
        get
        {
            var expected = _expectedBefore + (_started ? (long)(_cycles + _maxSequence) - _baseSequence + 1 : 0);
            return Math.Max(0, expected - _receivedBefore - _receivedThisSource);
        }
    }

    /// <summary>A.8 jitter in milliseconds at the 8 kHz clock of G.711 and telephone-event.</summary>
    public double JitterMilliseconds => (_jitterQ4 / 16.0) / 8.0;

    /// <summary>Counts one packet; <paramref name="arrivalClock"/> is the arrival time in RTP clock units (8 kHz).</summary>
    public void Record(ReadOnlySpan<byte> packet, int payloadLength, bool isAudio, long arrivalClock, long nowTicks)
    {
        Packets++;
        Bytes += payloadLength;
        LastPacketTicks = nowTicks;
        var ssrc = RtpHeader.Ssrc(packet);
        var sequence = RtpHeader.Sequence(packet);
        if (!_started || ssrc != _ssrc)
        {
            StartSource(ssrc, sequence);
        }
        else
        {
            UpdateSequence(sequence);
        }

        _receivedThisSource++;
        if (isAudio)
        {
            UpdateJitter((uint)arrivalClock - RtpHeader.Timestamp(packet));
        }
    }

    private void StartSource(uint ssrc, ushort sequence)
    {
        if (_started)
        {
            _expectedBefore += (long)(_cycles + _maxSequence) - _baseSequence + 1;
            _receivedBefore += _receivedThisSource;
        }

        _started = true;
        _ssrc = ssrc;
        _maxSequence = sequence;
        _baseSequence = sequence;
        _cycles = 0;
        _receivedThisSource = 0;
        _haveTransit = false;
    }

    /// <summary>RFC 3550 A.1 update_seq without probation: in-order with a gap, misordered, or a restart after a jump.</summary>
    private void UpdateSequence(ushort sequence)
    {
        var delta = (ushort)(sequence - _maxSequence);
        if (delta < MaxDropout)
        {
            if (sequence < _maxSequence)
            {
                _cycles += SequenceModulus;
            }

            _maxSequence = sequence;
        }
        else if (delta <= SequenceModulus - MaxMisorder)
        {
            // A very large jump: the source restarted its numbering; count from here as a new run.
            _expectedBefore += (long)(_cycles + _maxSequence) - _baseSequence + 1;
            _receivedBefore += _receivedThisSource;
            _maxSequence = sequence;
            _baseSequence = sequence;
            _cycles = 0;
            _receivedThisSource = 0;
        }
    }

    private void UpdateJitter(uint transit)
    {
        if (_haveTransit)
        {
            // Differences of 32-bit clocks, so that a timestamp wrap is a small step, not 2^32.
            var d = Math.Abs((long)(int)(transit - _lastTransit));
            // A.8: J += (|D| - J) / 16, kept scaled by 16 to stay in integers.
            _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
        }

        _haveTransit = true;
        _lastTransit = transit;
    }
}
