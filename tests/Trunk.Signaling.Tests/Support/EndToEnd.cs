namespace Trunk.Signaling.Tests.Support;

/// <summary>Shared steps of the end-to-end tests: the caller's number, scenario values, endpoint URIs.</summary>
internal static class EndToEnd
{
    public const string CallerNumber = "+4989123456";

    /// <summary>The caller's number as a regular expression, <c>+</c> escaped.</summary>
    public const string CallerRegex = @"sip:\+4989123456@";

    public static Dictionary<string, string> Values(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CALLER"] = CallerNumber,
            ["CALLER_REGEX"] = CallerRegex,
            ["INVITE_REGEX"] = ".*",
            ["HOLD_MS"] = "300",
            ["HEADER_REGEX"] = ".*",
        };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return all;
    }

    public static string Uri(Sipp uas) => $"sip:127.0.0.1:{uas.Port}";
}
