using System.Globalization;

namespace Trunk.CallHistory.CallSummaries;

/// <summary>The Q.850 cause of a Reason header (RFC 3326: <c>Q.850;cause=16;text="Normal call clearing"</c>).</summary>
public static class Q850
{
    public static int? FromReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        foreach (var value in reason.Split(','))
        {
            var parts = value.Split(';', StringSplitOptions.TrimEntries);
            if (!parts[0].Equals("Q.850", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var parameter in parts.Skip(1))
            {
                var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
                if (pair.Length == 2 && pair[0].Equals("cause", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cause))
                {
                    return cause;
                }
            }
        }

        return null;
    }
}
