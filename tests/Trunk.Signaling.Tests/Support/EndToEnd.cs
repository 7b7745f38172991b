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
            ["ANSWER_REGEX"] = ".*",
            ["HOLD_MS"] = "300",
            ["HEADER_REGEX"] = ".*",
            ["RING"] = "180 Ringing",
            ["REFER_CSEQ"] = "7",
            ["REFER_RESPONSE_REGEX"] = ".*",
            ["AFTER_REFER"] = string.Empty,
            ["ENDING"] = Scenario.Fragment("ending_bye_received.xml", new Dictionary<string, string>()),
        };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return all;
    }

    public static string Uri(Sipp uas) => $"sip:127.0.0.1:{uas.Port}";

    /// <summary>Header lines of the endpoint's REFER, indented as the scenario needs.</summary>
    public static string Headers(params string[] lines) => string.Join("\n", lines.Select(l => "      " + l));

    /// <summary>The NOTIFYs the endpoint expects, in order: sipfrag regex and whether it is the last (terminated).</summary>
    public static string Notifies(params string[] sipfrags) => string.Concat(sipfrags.Select((frag, i) => Scenario.Fragment("notify_fragment.xml",
        new Dictionary<string, string>
        {
            ["N"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["STATE"] = i == sipfrags.Length - 1 ? "terminated;reason=noresource" : "active",
            ["SIPFRAG"] = frag,
            ["REFER_CSEQ"] = "7",
        })));
}
