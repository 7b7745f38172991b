using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Signaling.Settings;

internal sealed class TransferSettingsValidator : IValidateOptions<TransferSettings>
{
    public ValidateOptionsResult Validate(string? name, TransferSettings options)
    {
        var failures = new List<string>();
        if (options.DecisionTimeout <= TimeSpan.Zero || options.DecisionTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{TransferSettings.Section}:DecisionTimeout must be between 0 and 30 seconds (was {options.DecisionTimeout}).");
        }

        if (options.TargetResolveTimeout <= TimeSpan.Zero || options.TargetResolveTimeout > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{TransferSettings.Section}:TargetResolveTimeout must be between 0 and 10 seconds (was {options.TargetResolveTimeout}).");
        }

        return SettingRules.Result(failures);
    }
}
