using Microsoft.Extensions.Options;

namespace Trunk.ServiceDefaults.Settings;

/// <summary>Shared checks whose messages always name the full setting key, so a bad deployment says what to fix.</summary>
public static class SettingRules
{
    public static void Required(List<string> failures, string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required.");
        }
    }

    public static void Port(List<string> failures, string key, int value)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value is < 1 or > 65535)
        {
            failures.Add($"{key} must be a port between 1 and 65535 (was {value}).");
        }
    }

    /// <summary>A value from <paramref name="min"/> to <paramref name="max"/>, both allowed (counts, durations).</summary>
    public static void Between<T>(List<string> failures, string key, T value, T min, T max)
        where T : IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"{key} must be between {min} and {max} (was {value}).");
        }
    }

    public static ValidateOptionsResult Result(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
