using System.Collections.Concurrent;
using Trunk.Media.Rtp;

namespace Trunk.Media.Tones;

/// <summary>One step of a cadence: the tone's frequencies (none for silence) for a duration.</summary>
internal sealed record ToneStep(TimeSpan Duration, params double[] Frequencies);

/// <summary>
/// A country's ringback tone (ITU-T E.180 supplement 2): two summed sine waves switched on and off by a cadence.
/// One whole cycle is synthesised once per law and kept, so that playing it is a copy, not a computation.
/// </summary>
internal sealed class TonePlan
{
    public const int SampleRate = 8000;
    private const double Amplitude = 4000;

    private readonly ConcurrentDictionary<G711Law, byte[]> _encoded = new();

    private TonePlan(string country, IReadOnlyList<ToneStep> cadence)
    {
        Country = country;
        Cadence = cadence;
    }

    public string Country { get; }

    public IReadOnlyList<ToneStep> Cadence { get; }

    /// <summary>US (ANSI T1.401): 440 + 480 Hz, 2 s on, 4 s off.</summary>
    public static TonePlan UnitedStates { get; } = new("US",
    [
        new ToneStep(TimeSpan.FromSeconds(2), 440, 480),
        new ToneStep(TimeSpan.FromSeconds(4)),
    ]);

    /// <summary>UK (BT SIN 350): 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.</summary>
    public static TonePlan UnitedKingdom { get; } = new("GB",
    [
        new ToneStep(TimeSpan.FromSeconds(0.4), 400, 450),
        new ToneStep(TimeSpan.FromSeconds(0.2)),
        new ToneStep(TimeSpan.FromSeconds(0.4), 400, 450),
        new ToneStep(TimeSpan.FromSeconds(2)),
    ]);

    /// <summary>The plan of an ISO 3166 alpha-2 country code (UK accepted for GB), or null when there is none.</summary>
    public static TonePlan? Find(string? country) => country?.ToUpperInvariant() switch
    {
        "US" or "CA" => UnitedStates,
        "GB" or "UK" => UnitedKingdom,
        _ => null,
    };

    /// <summary>One cycle of the cadence encoded in <paramref name="law"/>, one byte a sample.</summary>
    public byte[] Encoded(G711Law law) => _encoded.GetOrAdd(law, Synthesise);

    private byte[] Synthesise(G711Law law)
    {
        var samples = new List<byte>();
        foreach (var step in Cadence)
        {
            var count = (int)(step.Duration.TotalSeconds * SampleRate);
            for (var n = 0; n < count; n++)
            {
                var value = 0.0;
                foreach (var frequency in step.Frequencies)
                {
                    value += Amplitude * Math.Sin(2 * Math.PI * frequency * n / SampleRate);
                }

                samples.Add(G711.Encode(law, (short)Math.Round(value)));
            }
        }

        return [.. samples];
    }
}
