using System.Globalization;

namespace Trunk.CallHistory.Api;

/// <summary>A time filter of a query string: ISO 8601, UTC when no offset is given; a bad one is named in the errors.</summary>
public static class QueryTime
{
    public static DateTimeOffset? Parse(string? value, string field, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"'{field}' must be an ISO 8601 time such as 2026-01-31T12:00:00Z."];
        return null;
    }
}
