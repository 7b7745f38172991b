using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Messages;

/// <summary><c>Replaces: call-id;to-tag=…;from-tag=…[;early-only]</c> (RFC 3891 §6.1).</summary>
public sealed record ReplacesHeader(string CallId, string ToTag, string FromTag, bool EarlyOnly)
{
    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out ReplacesHeader? header)
    {
        header = null;
        var semicolon = s.IndexOf(';');
        var callId = (semicolon < 0 ? s : s[..semicolon]).Trim(" \t");
        if (callId.IsEmpty || callId.ContainsAny(" \t") || semicolon < 0 || !SipSyntax.TryParseParameters(s, semicolon, out var parameters))
        {
            return false;
        }

        if (parameters.Get("to-tag") is not { } toTag || parameters.Get("from-tag") is not { } fromTag)
        {
            return false;
        }

        header = new ReplacesHeader(callId.ToString(), toTag, fromTag, parameters.Contains("early-only"));
        return true;
    }

    public override string ToString() => $"{CallId};to-tag={ToTag};from-tag={FromTag}{(EarlyOnly ? ";early-only" : string.Empty)}";
}
