using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.CallHistory;

/// <summary>
/// <c>CallHistory:*</c> settings. <see cref="Schema"/> overrides the PostgreSQL schema (default <c>callhistory</c>);
/// <see cref="QueuePrefix"/> gives the event queues their own names and deletes them when the host stops, so that a
/// test's host never shares a queue with another.
/// </summary>
public sealed class CallHistorySettings
{
    public const string Section = "CallHistory";

    public string? Schema { get; set; }

    public string? QueuePrefix { get; set; }

    /// <summary>Runs the async daemon (hangup analysis) in this process; several instances elect one leader per schema.</summary>
    public bool RunProjectionDaemon { get; set; } = true;
}

internal sealed partial class CallHistorySettingsValidator : IValidateOptions<CallHistorySettings>
{
    public ValidateOptionsResult Validate(string? name, CallHistorySettings options)
    {
        var failures = new List<string>();
        if (options.Schema is not null && !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"CallHistory:Schema must be a lower-case PostgreSQL identifier (was '{options.Schema}').");
        }

        if (options.QueuePrefix is not null && !QueuePrefix().IsMatch(options.QueuePrefix))
        {
            failures.Add($"CallHistory:QueuePrefix must be lower-case letters, digits and '-' (was '{options.QueuePrefix}').");
        }

        return SettingRules.Result(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z0-9-]{0,60}$")]
    private static partial Regex QueuePrefix();
}
