using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Webhooks;

/// <summary>
/// <c>Webhooks:*</c> settings. A delivery is tried <see cref="MaxAttempts"/> times, waiting <see cref="FirstRetryDelay"/>
/// then twice as long each time (with jitter), each try cut at <see cref="AttemptTimeout"/>; then it is dead-lettered.
/// <see cref="Schema"/> and <see cref="QueuePrefix"/> give tests their own schema and auto-deleted queue.
/// </summary>
public sealed class WebhooksSettings
{
    public const string Section = "Webhooks";

    public string? Schema { get; set; }

    public string? QueuePrefix { get; set; }

    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether webhooks may go to private, loopback and link-local addresses. Off: a URL is the account's to choose, and
    /// must not reach into the operator's networks. On for a receiver inside them (the tests' and the demo's on loopback).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// How long delivery records are kept (<see cref="Retention.WebhookRecordsPruner"/>): deliveries, dead letters and the
    /// transfers' accounts older than this are deleted. Between one day and ten years.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

internal sealed partial class WebhooksSettingsValidator : IValidateOptions<WebhooksSettings>
{
    public ValidateOptionsResult Validate(string? name, WebhooksSettings options)
    {
        var failures = new List<string>();
        if (options.Schema is not null && !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"Webhooks:Schema must be a lower-case PostgreSQL identifier (was '{options.Schema}').");
        }

        if (options.QueuePrefix is not null && !QueuePrefix().IsMatch(options.QueuePrefix))
        {
            failures.Add($"Webhooks:QueuePrefix must be lower-case letters, digits and '-' (was '{options.QueuePrefix}').");
        }

        SettingRules.Between(failures, "Webhooks:MaxAttempts", options.MaxAttempts, 1, 20);
        SettingRules.Between(failures, "Webhooks:FirstRetryDelay", options.FirstRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        SettingRules.Between(failures, "Webhooks:AttemptTimeout", options.AttemptTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        SettingRules.Between(failures, "Webhooks:Retention", options.Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650));
        return SettingRules.Result(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z0-9-]{0,60}$")]
    private static partial Regex QueuePrefix();
}
