using Trunk.CallHistory.Api;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>How <c>GET /analysis/hangups</c> groups its counts.</summary>
public enum HangupGrouping
{
    Cause,
    Trunk,
    Account,
    Hour,
}

/// <summary>The range and grouping of <c>GET /analysis/hangups</c>, parsed and checked; the range defaults to the last 24 hours.</summary>
public sealed record HangupQuery(DateTimeOffset From, DateTimeOffset To, HangupGrouping GroupBy)
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    public static (HangupQuery Query, Dictionary<string, string[]> Errors) Parse(string? from, string? to, string? groupBy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = QueryTime.Parse(to, "to", errors) ?? now;
        var start = QueryTime.Parse(from, "from", errors) ?? end - DefaultRange;
        if (start >= end)
        {
            errors["to"] = ["'to' must be after 'from'."];
        }
        else if (end - start > MaxRange)
        {
            errors["to"] = [$"The range may span at most {MaxRange.TotalDays} days."];
        }

        var grouping = HangupGrouping.Cause;
        if (!string.IsNullOrEmpty(groupBy) && (!Enum.TryParse(groupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || int.TryParse(groupBy, out _)))
        {
            errors["groupBy"] = ["'groupBy' must be one of cause, trunk, account, hour."];
        }

        return (new HangupQuery(start, end, grouping), errors);
    }
}
