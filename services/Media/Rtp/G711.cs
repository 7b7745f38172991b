namespace Trunk.Media.Rtp;

/// <summary>The two G.711 laws the relay carries (RFC 3551 §4.5.14: PCMU is payload type 0, PCMA 8).</summary>
public enum G711Law
{
    MuLaw,
    ALaw,
}

/// <summary>
/// G.711 μ-law and A-law by table (ITU-T G.711): decoding to 16-bit linear, encoding from it, and the two 256-entry
/// tables that convert one law into the other byte for byte, so that the relay transcodes without arithmetic.
/// </summary>
public static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    private static readonly short[] MuLawToLinear = BuildDecoder(DecodeMuLaw);
    private static readonly short[] ALawToLinear = BuildDecoder(DecodeALaw);

    /// <summary>μ-law byte → A-law byte.</summary>
    public static ReadOnlySpan<byte> MuLawToALaw => MuToA;

    /// <summary>A-law byte → μ-law byte.</summary>
    public static ReadOnlySpan<byte> ALawToMuLaw => AToMu;

    private static readonly byte[] MuToA = BuildConverter(MuLawToLinear, EncodeALaw);
    private static readonly byte[] AToMu = BuildConverter(ALawToLinear, EncodeMuLaw);

    public static short Decode(G711Law law, byte value) =>
        law == G711Law.MuLaw ? MuLawToLinear[value] : ALawToLinear[value];

    public static byte Encode(G711Law law, short sample) =>
        law == G711Law.MuLaw ? EncodeMuLaw(sample) : EncodeALaw(sample);

    /// <summary>The table that turns <paramref name="from"/> bytes into <paramref name="to"/> bytes, or null when they are the same law.</summary>
    public static byte[]? Converter(G711Law from, G711Law to) =>
        from == to ? null : from == G711Law.MuLaw ? MuToA : AToMu;

    /// <summary>Converts a payload in place through a 256-entry table.</summary>
    public static void Convert(Span<byte> payload, byte[] table)
    {
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = table[payload[i]];
        }
    }

    /// <summary>G.711 §3 (μ-law): bias, find the segment, keep four mantissa bits, invert all bits.</summary>
    public static byte EncodeMuLaw(short sample)
    {
        int value = sample;
        var sign = value < 0 ? 0x80 : 0;
        if (value < 0)
        {
            value = -value;
        }

        value = Math.Min(value, MuLawClip) + MuLawBias;
        var exponent = 7;
        for (var mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>G.711 §2 (A-law), as in the ITU reference: 13-bit magnitude (ones' complement for negatives), segment, four mantissa bits, even bits inverted.</summary>
    public static byte EncodeALaw(short sample)
    {
        var value = sample >> 3;
        var mask = 0xD5;
        if (value < 0)
        {
            mask = 0x55;
            value = -value - 1;
        }

        var segment = 0;
        while (segment < 8 && value > (0x20 << segment) - 1)
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var mantissa = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(((segment << 4) | mantissa) ^ mask);
    }

    private static short DecodeMuLaw(byte value)
    {
        var inverted = ~value;
        var exponent = (inverted >> 4) & 0x07;
        var mantissa = inverted & 0x0F;
        var magnitude = (((mantissa << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short DecodeALaw(byte value)
    {
        var toggled = value ^ 0x55;
        var exponent = (toggled >> 4) & 0x07;
        var mantissa = toggled & 0x0F;
        var magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)((toggled & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static short[] BuildDecoder(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }

    private static byte[] BuildConverter(short[] decoder, Func<short, byte> encode)
    {
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = encode(decoder[i]);
        }

        return table;
    }
}
