using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Messages;

/// <summary><c>Event: package[.template];id=…</c> (RFC 6665 §8.2.1); for REFER the package is <c>refer</c> (RFC 3515 §2.4.6).</summary>
public sealed record EventHeader(string Package, SipParameters Parameters)
{
    public string? Id => Parameters.Get("id");

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out EventHeader? header)
    {
        header = null;
        var start = SipSyntax.SkipWhitespace(s, 0);
        var end = SipSyntax.ReadToken(s, start);
        if (end == start || !SipSyntax.TryParseParameters(s, end, out var parameters))
        {
            return false;
        }

        header = new EventHeader(s[start..end].ToString(), parameters);
        return true;
    }

    /// <summary>Event packages compare case-insensitively, ids exactly (RFC 6665 §8.2.1, §4.1.2.1).</summary>
    public bool Matches(EventHeader other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Package, other.Package, StringComparison.OrdinalIgnoreCase) && Id == other.Id;
    }

    public override string ToString() => Package + Parameters;
}
