using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary><c>Retry-After: delta-seconds [(comment)] *(;duration=…)</c> (RFC 3261 §20.33).</summary>
public sealed record RetryAfterHeader(long Seconds, string? Comment, SipParameters Parameters)
{
    public long? Duration =>
        long.TryParse(Parameters.Get("duration"), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= uint.MaxValue ? value : null;

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out RetryAfterHeader? header)
    {
        header = null;
        var start = SipSyntax.SkipWhitespace(s, 0);
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        // delta-seconds is at most 2^32-1 (RFC 4475 §3.1.2.5 sends a larger one).
        if (!long.TryParse(s[start..end], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > uint.MaxValue)
        {
            return false;
        }

        string? comment = null;
        var pos = SipSyntax.SkipWhitespace(s, end);
        if (pos < s.Length && s[pos] == '(')
        {
            var close = s[pos..].IndexOf(')');
            if (close < 0)
            {
                return false;
            }

            comment = s.Slice(pos + 1, close - 1).ToString();
            pos += close + 1;
        }

        if (!SipSyntax.TryParseParameters(s, pos, out var parameters))
        {
            return false;
        }

        header = new RetryAfterHeader(seconds, comment, parameters);
        return true;
    }

    public override string ToString() =>
        Seconds.ToString(CultureInfo.InvariantCulture) + (Comment is null ? string.Empty : $" ({Comment})") + Parameters;
}
