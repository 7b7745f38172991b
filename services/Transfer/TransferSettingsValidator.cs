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
        SettingRules.Between(failures, $"{TransferSettings.Section}:{nameof(TransferSettings.ReservedMinutes)}", options.ReservedMinutes, 1, 600);
        SettingRules.Between(failures, $"{TransferSettings.Section}:{nameof(TransferSettings.RetryAfterSeconds)}", options.RetryAfterSeconds, 0, 3600);
        SettingRules.Between(failures, $"{TransferSettings.Section}:{nameof(TransferSettings.SagaShards)}", options.SagaShards, 1, Saga.SagaShards.MaxCount);
        SettingRules.Between(failures, $"{TransferSettings.Section}:{nameof(TransferSettings.Retention)}", options.Retention, TimeSpan.FromHours(1), TimeSpan.FromDays(90));

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
