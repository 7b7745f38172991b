using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary><c>Subscription-State: active|pending|terminated;expires=…;reason=…;retry-after=…</c> (RFC 6665 §8.2.3).</summary>
public sealed record SubscriptionStateHeader(string State, SipParameters Parameters)
{
    public const string Active = "active";
    public const string Pending = "pending";
    public const string Terminated = "terminated";

    public bool IsTerminated => string.Equals(State, Terminated, StringComparison.OrdinalIgnoreCase);

    public long? Expires => Seconds("expires");

    public long? RetryAfter => Seconds("retry-after");

    public string? Reason => Parameters.Get("reason");

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out SubscriptionStateHeader? header)
    {
        header = null;
        var start = SipSyntax.SkipWhitespace(s, 0);
        var end = SipSyntax.ReadToken(s, start);
        if (end == start || !SipSyntax.TryParseParameters(s, end, out var parameters))
        {
            return false;
        }

        header = new SubscriptionStateHeader(s[start..end].ToString().ToLowerInvariant(), parameters);
        return true;
    }

    public override string ToString() => State + Parameters;

    private long? Seconds(string name) =>
        long.TryParse(Parameters.Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= uint.MaxValue ? value : null;
}
