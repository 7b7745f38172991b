using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary><c>Reason: SIP;cause=200;text="Call completed elsewhere"</c> or <c>Q.850;cause=16</c> (RFC 3326 §2).</summary>
public sealed record ReasonHeader(string Protocol, SipParameters Parameters)
{
    public int? Cause => int.TryParse(Parameters.Get("cause"), NumberStyles.None, CultureInfo.InvariantCulture, out var cause) ? cause : null;

    public string? Text => Parameters.GetUnquoted("text");

    public static ReasonHeader Create(string protocol, int cause, string? text = null)
    {
        var parameters = SipParameters.Empty.With("cause", cause.ToString(CultureInfo.InvariantCulture));
        return new ReasonHeader(protocol, text is null ? parameters : parameters.With("text", SipSyntax.Quote(text)));
    }

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out ReasonHeader? header)
    {
        header = null;
        var start = SipSyntax.SkipWhitespace(s, 0);
        var end = SipSyntax.ReadToken(s, start);
        if (end == start || !SipSyntax.TryParseParameters(s, end, out var parameters))
        {
            return false;
        }

        header = new ReasonHeader(s[start..end].ToString(), parameters);
        return true;
    }

    /// <summary>Parses one Reason field, which may hold several comma-separated values (one per protocol).</summary>
    public static bool TryParseList(string value, List<ReasonHeader> into) =>
        SipSyntax.TryParseEach(value, into, TryParse);

    public override string ToString() => Protocol + Parameters;
}
