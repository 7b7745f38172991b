using System.Diagnostics.CodeAnalysis;

namespace Trunk.Sip.Messages;

/// <summary><c>type/subtype *(;param)</c> for Content-Type and Accept (RFC 3261 §20.15, §20.1).</summary>
public sealed record MediaType(string Type, string Subtype, SipParameters Parameters)
{
    /// <summary>Lower-case <c>type/subtype</c>.</summary>
    public string MimeType => $"{Type}/{Subtype}";

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out MediaType? mediaType)
    {
        mediaType = null;
        var pos = SipSyntax.SkipWhitespace(s, 0);
        var typeEnd = SipSyntax.ReadToken(s, pos);
        var slash = SipSyntax.SkipWhitespace(s, typeEnd);
        if (typeEnd == pos || slash == s.Length || s[slash] != '/')
        {
            return false;
        }

        var subtypeStart = SipSyntax.SkipWhitespace(s, slash + 1);
        var subtypeEnd = SipSyntax.ReadToken(s, subtypeStart);
        if (subtypeEnd == subtypeStart || !SipSyntax.TryParseParameters(s, subtypeEnd, out var parameters))
        {
            return false;
        }

        mediaType = new MediaType(s[pos..typeEnd].ToString().ToLowerInvariant(), s[subtypeStart..subtypeEnd].ToString().ToLowerInvariant(), parameters);
        return true;
    }

    /// <summary>True when this range (possibly <c>*/*</c> or <c>type/*</c>, as in Accept) covers <paramref name="mimeType"/>.</summary>
    public bool Covers(string mimeType)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        if (Type == "*")
        {
            return true;
        }

        var slash = mimeType.IndexOf('/');
        return slash > 0
            && mimeType.AsSpan(0, slash).Equals(Type, StringComparison.OrdinalIgnoreCase)
            && (Subtype == "*" || mimeType.AsSpan(slash + 1).Equals(Subtype, StringComparison.OrdinalIgnoreCase));
    }

    public override string ToString() => MimeType + Parameters;
}
