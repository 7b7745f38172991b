using System.Net;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Signaling.Settings;

internal sealed class SipSettingsValidator : IValidateOptions<SipSettings>
{
    /// <summary>A planned stop should not wait longer than this for calls to end.</summary>
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, SipSettings options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{SipSettings.Section}:ListenAddress must be an IP address (was '{options.ListenAddress}').");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && Uri.CheckHostName(options.AdvertisedAddress) == UriHostNameType.Unknown)
        {
            failures.Add($"{SipSettings.Section}:AdvertisedAddress must be a host name or IP address (was '{options.AdvertisedAddress}').");
        }

        if (!string.IsNullOrWhiteSpace(options.TrunkLookupAddress) && !Uri.TryCreate(options.TrunkLookupAddress, UriKind.Absolute, out _))
        {
            failures.Add($"{SipSettings.Section}:TrunkLookupAddress must be an absolute address such as queue:policy-get-trunk-by-did (was '{options.TrunkLookupAddress}').");
        }

        SettingRules.Port(failures, $"{SipSettings.Section}:Port", options.Port);
        if (options.AdvertisedPort is { } advertisedPort)
        {
            SettingRules.Port(failures, $"{SipSettings.Section}:AdvertisedPort", advertisedPort);
        }

        Positive(failures, "CallsPerSecondPerSource", options.CallsPerSecondPerSource);
        Positive(failures, "CallsPerSecondPerTrunk", options.CallsPerSecondPerTrunk);
        Duration(failures, "EndpointResponseTimeout", options.EndpointResponseTimeout);
        Duration(failures, "TrunkLookupTimeout", options.TrunkLookupTimeout);
        SettingRules.Between(failures, $"{SipSettings.Section}:DrainTimeout", options.DrainTimeout, TimeSpan.Zero, MaxDrainTimeout);
        return SettingRules.Result(failures);
    }

    private static void Positive(List<string> failures, string key, int value)
    {
        if (value < 1)
        {
            failures.Add($"{SipSettings.Section}:{key} must be at least 1 (was {value}).");
        }
    }

    private static void Duration(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SipSettings.Section}:{key} must be between 0 and 1 minute (was {value}).");
        }
    }
}
