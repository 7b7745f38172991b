using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Transfer;

internal sealed class TransferSettingsValidator : IValidateOptions<TransferSettings>
{
    public ValidateOptionsResult Validate(string? name, TransferSettings options)
    {
        var failures = new List<string>();
        Positive(failures, nameof(TransferSettings.PolicyDeadline), options.PolicyDeadline);
        Positive(failures, nameof(TransferSettings.RingTimeout), options.RingTimeout);
        Positive(failures, nameof(TransferSettings.OutboxPollInterval), options.OutboxPollInterval);
        Positive(failures, nameof(TransferSettings.SchedulerPollInterval), options.SchedulerPollInterval);
        Positive(failures, nameof(TransferSettings.MaxCallDuration), options.MaxCallDuration);
        if (options.MaxCallDuration > TimeSpan.FromDays(7))
        {
            failures.Add($"{TransferSettings.Section}:{nameof(TransferSettings.MaxCallDuration)} must be at most 7.00:00:00 (was {options.MaxCallDuration}).");
        }
        if (options.ReservedMinutes is < 1 or > 600)
        {
            failures.Add($"{TransferSettings.Section}:{nameof(TransferSettings.ReservedMinutes)} must be between 1 and 600 (was {options.ReservedMinutes}).");
        }

        if (options.RetryAfterSeconds is < 0 or > 3600)
        {
            failures.Add($"{TransferSettings.Section}:{nameof(TransferSettings.RetryAfterSeconds)} must be between 0 and 3600 (was {options.RetryAfterSeconds}).");
        }

        if (options.SagaShards is < 1 or > Saga.SagaShards.MaxCount)
        {
            failures.Add($"{TransferSettings.Section}:{nameof(TransferSettings.SagaShards)} must be between 1 and {Saga.SagaShards.MaxCount} (was {options.SagaShards}).");
        }

        if (options.Retention < TimeSpan.FromHours(1) || options.Retention > TimeSpan.FromDays(90))
        {
            failures.Add($"{TransferSettings.Section}:{nameof(TransferSettings.Retention)} must be between 01:00:00 and 90.00:00:00 (was {options.Retention}).");
        }

        return SettingRules.Result(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{TransferSettings.Section}:{key} must be a positive duration (was {value}).");
        }
    }
}
