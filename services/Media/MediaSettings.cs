using System.Net;
using Microsoft.Extensions.Options;
using Trunk.Media.Tones;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Media;

/// <summary>
/// <c>Media:*</c> settings: where the relay binds and which address its SDP names (<see cref="AdvertisedAddress"/>,
/// for NAT; the bind address when unset), the RTP port range, how many receive loops, the silence after which a
/// bridged leg raises <c>NoAudioDetected</c> and after which a leg is released, the default ringback country, how long a
/// stopping instance relays its calls (<see cref="DrainTimeout"/>), and a queue prefix that gives a test's Media queues of
/// its own.
/// </summary>
public sealed class MediaSettings
{
    public const string Section = "Media";

    public string BindAddress { get; set; } = "127.0.0.1";

    public string? AdvertisedAddress { get; set; }

    public int PortMin { get; set; } = 30000;

    public int PortMax { get; set; } = 39999;

    public int ReceiveLoops { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public double NoAudioSeconds { get; set; } = 5;

    public double MediaTimeoutSeconds { get; set; } = 60;

    public string DefaultCountry { get; set; } = "US";

    public string? QueuePrefix { get; set; }

    /// <summary>
    /// How long a stopping instance goes on relaying the calls it anchors while the other instances take the new
    /// allocations; the legs still anchored then are released. 0 releases them at once. The host's shutdown timeout grows
    /// by it: the orchestrator's grace period (Kubernetes' terminationGracePeriodSeconds, compose's stop_grace_period)
    /// must exceed it by 10 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IPAddress Bind => IPAddress.Parse(BindAddress);

    internal IPAddress Advertised => AdvertisedAddress is { Length: > 0 } address ? IPAddress.Parse(address) : Bind;
}

internal sealed class MediaSettingsValidator : IValidateOptions<MediaSettings>
{
    /// <summary>A planned stop should not wait longer than this for calls to end.</summary>
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, MediaSettings options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out var bind) || bind.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            failures.Add($"Media:BindAddress must be an IPv4 address (was '{options.BindAddress}').");
        }
        else if (bind.Equals(IPAddress.Any) && string.IsNullOrEmpty(options.AdvertisedAddress))
        {
            failures.Add("Media:AdvertisedAddress is required when Media:BindAddress is 0.0.0.0 (SDP must name a reachable address).");
        }

        if (options.AdvertisedAddress is { Length: > 0 } advertised
            && (!IPAddress.TryParse(advertised, out var address) || address.Equals(IPAddress.Any)))
        {
            failures.Add($"Media:AdvertisedAddress must be an IP address other than 0.0.0.0 (was '{advertised}').");
        }

        if (options.PortMin is < 1024 or > 65534 || options.PortMax is < 1025 or > 65535 || options.PortMax - options.PortMin < 3)
        {
            failures.Add($"Media:PortMin and Media:PortMax must be a range of at least two port pairs within 1024-65535 (was {options.PortMin}-{options.PortMax}).");
        }

        if (options.ReceiveLoops is < 1 or > 64)
        {
            failures.Add($"Media:ReceiveLoops must be 1-64 (was {options.ReceiveLoops}).");
        }

        if (options.NoAudioSeconds <= 0 || options.MediaTimeoutSeconds <= options.NoAudioSeconds)
        {
            failures.Add($"Media:NoAudioSeconds must be positive and below Media:MediaTimeoutSeconds (were {options.NoAudioSeconds} and {options.MediaTimeoutSeconds}).");
        }

        if (TonePlan.Find(options.DefaultCountry) is null)
        {
            failures.Add($"Media:DefaultCountry must be a country with a ringback plan (US, CA, GB) (was '{options.DefaultCountry}').");
        }

        if (options.QueuePrefix is { } prefix && !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            failures.Add($"Media:QueuePrefix must be lower-case letters, digits and '-' (was '{prefix}').");
        }

        SettingRules.Between(failures, $"{MediaSettings.Section}:DrainTimeout", options.DrainTimeout, TimeSpan.Zero, MaxDrainTimeout);
        return SettingRules.Result(failures);
    }
}
