namespace Trunk.Testing.Rtp;

/// <summary>
/// G.711 μ-law written from ITU-T G.711 for the tests themselves (an oracle independent of the Media service's
/// codec), and pure tones in 20 ms PCMU frames.
/// </summary>
public static class MuLaw
{
    private const int Bias = 0x84;

    public static short Decode(byte code)
    {
        var inverted = ~code;
        var magnitude = ((((inverted & 0x0F) << 3) + Bias) << ((inverted & 0x70) >> 4)) - Bias;
        return (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
    }

    public static byte Encode(short sample)
    {
        var sign = sample < 0 ? 0x80 : 0;
        var magnitude = Math.Min(Math.Abs((int)sample), 32635) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>The <paramref name="index"/>-th 20 ms frame (160 samples at 8 kHz) of a continuous sine of <paramref name="frequency"/>.</summary>
    public static byte[] ToneFrame(double frequency, int index, short amplitude = 8000) =>
        [.. Enumerable.Range(index * 160, 160).Select(n => Encode((short)(amplitude * Math.Sin(2 * Math.PI * frequency * n / 8000))))];

    public static List<short> Samples(IEnumerable<byte[]> payloads) => [.. payloads.SelectMany(p => p).Select(Decode)];
}
