namespace Trunk.Testing.Rtp;

/// <summary>The Goertzel filter: the power of one frequency in a block of samples, as tone detectors in phones measure it.</summary>
public static class Goertzel
{
    public static double Power(IReadOnlyList<short> samples, double frequency, int sampleRate = 8000)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0;
        foreach (var sample in samples)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        return (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
    }
}
