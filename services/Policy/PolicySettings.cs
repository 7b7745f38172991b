using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Policy;

/// <summary>
/// <c>Policy:*</c> settings. <see cref="Schema"/> overrides the PostgreSQL schema (default <c>policy</c>);
/// <see cref="QueuePrefix"/> gives the bus endpoints their own queues, not bound to the message exchanges, so that a
/// second Policy (a test's) answers only requests sent to it (its queues are deleted when it stops); <see cref="SeedDemoData"/> defaults to on in Development.
/// </summary>
public sealed class PolicySettings
{
    public const string Section = "Policy";

    public string? Schema { get; set; }

    public string? QueuePrefix { get; set; }

    public bool? SeedDemoData { get; set; }

    /// <summary>
    /// How long a reservation may stay without its charge before its money goes back to the balance
    /// (<see cref="Balances.ReservationExpirer"/>); longer than any call (<c>Transfer:MaxCallDuration</c>, 4 h) and its
    /// settlement's retries. Between 1 hour and 90 days.
    /// </summary>
    public TimeSpan ReservationLifetime { get; set; } = TimeSpan.FromDays(1);
}

internal sealed partial class PolicySettingsValidator : IValidateOptions<PolicySettings>
{
    public ValidateOptionsResult Validate(string? name, PolicySettings options)
    {
        var failures = new List<string>();
        if (options.Schema is not null && !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"Policy:Schema must be a lower-case PostgreSQL identifier (was '{options.Schema}').");
        }

        if (options.QueuePrefix is not null && !QueuePrefix().IsMatch(options.QueuePrefix))
        {
            failures.Add($"Policy:QueuePrefix must be lower-case letters, digits and '-' (was '{options.QueuePrefix}').");
        }

        SettingRules.Between(failures, "Policy:ReservationLifetime", options.ReservationLifetime, TimeSpan.FromHours(1), TimeSpan.FromDays(90));

        return SettingRules.Result(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z0-9-]{0,60}$")]
    private static partial Regex QueuePrefix();
}
