using System.Globalization;

namespace Trunk.Testing.Sip;

/// <summary>
/// Values of the SIPp transfer scenarios (caller, endpoint that REFERs, target): the caller's number, defaults for
/// every placeholder, the endpoint's REFER headers and the NOTIFYs it expects.
/// </summary>
public static class TransferScenarios
{
    /// <summary>The caller's number: a German number, so that the target can tell it from the trunk's own.</summary>
    public const string CallerNumber = "+4989123456";

    /// <summary>A caller-ID regular expression that matches any caller.</summary>
    public const string AnyCaller = ".*";

    /// <summary>The caller's number as a regular expression, <c>+</c> escaped.</summary>
    public const string CallerRegex = @"sip:\+4989123456@";

    /// <summary>Every placeholder's default, overridden by <paramref name="values"/>.</summary>
    public static Dictionary<string, string> Values(params (string Key, string Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CALLER"] = CallerNumber,
            ["CALLER_REGEX"] = CallerRegex,
            ["INVITE_REGEX"] = ".*",
            ["ANSWER_REGEX"] = ".*",
            ["HOLD_MS"] = "300",
            ["RTP_PORT"] = "[media_port]",
            ["RING_MS"] = "0",
            ["PAYLOAD"] = "0",
            ["CODEC"] = "PCMU/8000",
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

    /// <summary>Header lines of the endpoint's REFER, indented as the scenario needs.</summary>
    public static string Headers(params string[] lines) => string.Join("\n", lines.Select(l => "      " + l));

    /// <summary>The NOTIFYs the endpoint expects, in order, as sipfrag regular expressions; the last one terminates the subscription.</summary>
    public static string Notifies(params string[] sipfrags) => NotifiesOf(sipfrags, lastTerminates: true);

    /// <summary>NOTIFYs of a subscription that stays active after the last one (the call ends first).</summary>
    public static string ActiveNotifies(params string[] sipfrags) => NotifiesOf(sipfrags, lastTerminates: false);

    private static string NotifiesOf(string[] sipfrags, bool lastTerminates) => string.Concat(sipfrags.Select((frag, i) => Scenario.Fragment(
        "notify_fragment.xml",
        new Dictionary<string, string>
        {
            ["N"] = (i + 1).ToString(CultureInfo.InvariantCulture),
            ["STATE"] = lastTerminates && i == sipfrags.Length - 1 ? "terminated;reason=noresource" : "active",
            ["SIPFRAG"] = frag,
            ["REFER_CSEQ"] = "7",
        })));
}
