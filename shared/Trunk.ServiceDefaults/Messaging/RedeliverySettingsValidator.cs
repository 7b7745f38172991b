using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Messaging;

internal sealed class RedeliverySettingsValidator : IValidateOptions<RedeliverySettings>
{
    public const int MaxIntervals = 10;

    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RedeliverySettings options)
    {
        var failures = new List<string>();
        if (options.Intervals.Count > MaxIntervals)
        {
            failures.Add($"{RedeliverySettings.Section}:Intervals may hold at most {MaxIntervals} intervals (has {options.Intervals.Count}).");
        }

        for (var i = 0; i < options.Intervals.Count; i++)
        {
            var interval = options.Intervals[i];
            if (interval < TimeSpan.FromSeconds(1) || interval > MaxInterval || interval.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                failures.Add($"{RedeliverySettings.Section}:Intervals:{i} must be whole seconds from 00:00:01 to 1.00:00:00 (was {interval}).");
            }
        }

        return SettingRules.Result(failures);
    }
}
