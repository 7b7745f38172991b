using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Signaling.Settings;

internal sealed class MediaControlSettingsValidator : IValidateOptions<MediaControlSettings>
{
    public ValidateOptionsResult Validate(string? name, MediaControlSettings options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.AllocationAddress, UriKind.Absolute, out _))
        {
            failures.Add($"{MediaControlSettings.Section}:AllocationAddress must be an absolute address such as queue:media (was '{options.AllocationAddress}').");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{MediaControlSettings.Section}:RequestTimeout must be between 0 and 30 seconds (was {options.RequestTimeout}).");
        }

        return SettingRules.Result(failures);
    }
}
