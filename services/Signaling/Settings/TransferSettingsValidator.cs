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

        if (options.RulesLifetime < TimeSpan.FromSeconds(1) || options.RulesLifetime > TimeSpan.FromHours(1))
        {
            failures.Add($"{TransferSettings.Section}:RulesLifetime must be between 1 second and 1 hour (was {options.RulesLifetime}).");
        }

        if (options.RulesLookupTimeout <= TimeSpan.Zero || options.RulesLookupTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{TransferSettings.Section}:RulesLookupTimeout must be between 0 and 30 seconds (was {options.RulesLookupTimeout}).");
        }

        SettingRules.Between(failures, $"{TransferSettings.Section}:ReservedMinutes", options.ReservedMinutes, 1, 600);

        if (!string.IsNullOrWhiteSpace(options.RulesLookupAddress) && !Uri.TryCreate(options.RulesLookupAddress, UriKind.Absolute, out _))
        {
            failures.Add($"{TransferSettings.Section}:RulesLookupAddress must be an absolute address such as queue:policy-get-transfer-rules (was '{options.RulesLookupAddress}').");
        }

        return SettingRules.Result(failures);
    }
}
