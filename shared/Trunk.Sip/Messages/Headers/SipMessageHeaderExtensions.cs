namespace Trunk.Sip.Messages;

/// <summary>
/// Typed views of the less frequent headers, parsed on each call. Single-value views return null
/// when the header is absent or malformed; list views return an empty list when absent and null
/// when any value is malformed.
/// </summary>
public static class SipMessageHeaderExtensions
{
    public static IReadOnlyList<NameAddress>? GetRoutes(this SipMessage message) => Addresses(message, SipHeaderNames.Route);

    public static IReadOnlyList<NameAddress>? GetRecordRoutes(this SipMessage message) => Addresses(message, SipHeaderNames.RecordRoute);

    public static IReadOnlyList<NameAddress>? GetPAssertedIdentities(this SipMessage message) => Addresses(message, SipHeaderNames.PAssertedIdentity);

    /// <summary>Diversion values (RFC 5806): name-addr with <c>reason</c>, <c>counter</c>, <c>privacy</c>… parameters.</summary>
    public static IReadOnlyList<NameAddress>? GetDiversions(this SipMessage message) => Addresses(message, SipHeaderNames.Diversion);

    /// <summary>Refer-To (RFC 3515 §2.1); an attended transfer carries Replaces in the URI headers (<see cref="GetReferToReplaces"/>).</summary>
    public static NameAddress? GetReferTo(this SipMessage message) => Single<NameAddress>(message, SipHeaderNames.ReferTo, NameAddress.TryParse);

    /// <summary>The Replaces embedded in the Refer-To URI (<c>?Replaces=…</c>, RFC 3891 §5).</summary>
    public static ReplacesHeader? GetReferToReplaces(this SipMessage message) =>
        message.GetReferTo()?.Uri.Headers.Get(SipHeaderNames.Replaces) is { } value && ReplacesHeader.TryParse(value, out var replaces) ? replaces : null;

    public static NameAddress? GetReferredBy(this SipMessage message) => Single<NameAddress>(message, SipHeaderNames.ReferredBy, NameAddress.TryParse);

    public static ReferSubHeader? GetReferSub(this SipMessage message) => Single<ReferSubHeader>(message, SipHeaderNames.ReferSub, ReferSubHeader.TryParse);

    public static EventHeader? GetEvent(this SipMessage message) => Single<EventHeader>(message, SipHeaderNames.Event, EventHeader.TryParse);

    public static SubscriptionStateHeader? GetSubscriptionState(this SipMessage message) =>
        Single<SubscriptionStateHeader>(message, SipHeaderNames.SubscriptionState, SubscriptionStateHeader.TryParse);

    public static ReplacesHeader? GetReplaces(this SipMessage message) => Single<ReplacesHeader>(message, SipHeaderNames.Replaces, ReplacesHeader.TryParse);

    public static RetryAfterHeader? GetRetryAfter(this SipMessage message) => Single<RetryAfterHeader>(message, SipHeaderNames.RetryAfter, RetryAfterHeader.TryParse);

    public static IReadOnlyList<ReasonHeader>? GetReasons(this SipMessage message) => List<ReasonHeader>(message, SipHeaderNames.Reason, ReasonHeader.TryParseList);

    public static IReadOnlyList<WarningHeader>? GetWarnings(this SipMessage message) => List<WarningHeader>(message, SipHeaderNames.Warning, WarningHeader.TryParseList);

    public static IReadOnlyList<string>? GetSupported(this SipMessage message) => Tokens(message, SipHeaderNames.Supported);

    public static IReadOnlyList<string>? GetRequire(this SipMessage message) => Tokens(message, SipHeaderNames.Require);

    public static IReadOnlyList<string>? GetUnsupported(this SipMessage message) => Tokens(message, SipHeaderNames.Unsupported);

    public static IReadOnlyList<string>? GetAllow(this SipMessage message) => Tokens(message, SipHeaderNames.Allow);

    private static IReadOnlyList<string>? Tokens(SipMessage message, string name)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TokenList.Collect(message.Headers, name);
    }

    private static IReadOnlyList<NameAddress>? Addresses(SipMessage message, string name) => List<NameAddress>(message, name, NameAddress.TryParseList);

    private static IReadOnlyList<T>? List<T>(SipMessage message, string name, Func<string, List<T>, bool> parse)
    {
        ArgumentNullException.ThrowIfNull(message);
        var list = new List<T>();
        foreach (var value in message.Headers.GetAll(name))
        {
            if (!parse(value, list))
            {
                return null;
            }
        }

        return list;
    }

    private static T? Single<T>(SipMessage message, string name, SpanParser<T> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Headers.GetFirst(name) is { } value && parse(value, out var result) ? result : null;
    }
}
