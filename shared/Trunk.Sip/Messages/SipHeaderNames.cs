namespace Trunk.Sip.Messages;

/// <summary>
/// Header field names in their canonical spelling, and the mapping from compact forms
/// (RFC 3261 §7.3.3, RFC 3515, RFC 3892, RFC 6665, RFC 4028, RFC 3841, RFC 8224).
/// </summary>
public static class SipHeaderNames
{
    public const string Accept = "Accept";
    public const string AcceptContact = "Accept-Contact";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";
    public const string AlertInfo = "Alert-Info";
    public const string Allow = "Allow";
    public const string AllowEvents = "Allow-Events";
    public const string AuthenticationInfo = "Authentication-Info";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string CallInfo = "Call-Info";
    public const string Contact = "Contact";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLanguage = "Content-Language";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Date = "Date";
    public const string Diversion = "Diversion";
    public const string ErrorInfo = "Error-Info";
    public const string Event = "Event";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string Identity = "Identity";
    public const string IdentityInfo = "Identity-Info";
    public const string InReplyTo = "In-Reply-To";
    public const string MaxForwards = "Max-Forwards";
    public const string MimeVersion = "MIME-Version";
    public const string MinExpires = "Min-Expires";
    public const string MinSE = "Min-SE";
    public const string Organization = "Organization";
    public const string PAssertedIdentity = "P-Asserted-Identity";
    public const string PPreferredIdentity = "P-Preferred-Identity";
    public const string Priority = "Priority";
    public const string Privacy = "Privacy";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string ProxyRequire = "Proxy-Require";
    public const string RAck = "RAck";
    public const string Reason = "Reason";
    public const string RecordRoute = "Record-Route";
    public const string ReferSub = "Refer-Sub";
    public const string ReferTo = "Refer-To";
    public const string ReferredBy = "Referred-By";
    public const string RejectContact = "Reject-Contact";
    public const string Replaces = "Replaces";
    public const string ReplyTo = "Reply-To";
    public const string RequestDisposition = "Request-Disposition";
    public const string Require = "Require";
    public const string RetryAfter = "Retry-After";
    public const string Route = "Route";
    public const string RSeq = "RSeq";
    public const string Server = "Server";
    public const string SessionExpires = "Session-Expires";
    public const string Subject = "Subject";
    public const string SubscriptionState = "Subscription-State";
    public const string Supported = "Supported";
    public const string Timestamp = "Timestamp";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
    public const string WwwAuthenticate = "WWW-Authenticate";

    private static readonly string[] Known =
    [
        Accept, AcceptContact, AcceptEncoding, AcceptLanguage, AlertInfo, Allow, AllowEvents,
        AuthenticationInfo, Authorization, CallId, CallInfo, Contact, ContentDisposition,
        ContentEncoding, ContentLanguage, ContentLength, ContentType, CSeq, Date, Diversion,
        ErrorInfo, Event, Expires, From, Identity, IdentityInfo, InReplyTo, MaxForwards,
        MimeVersion, MinExpires, MinSE, Organization, PAssertedIdentity, PPreferredIdentity,
        Priority, Privacy, ProxyAuthenticate, ProxyAuthorization, ProxyRequire, RAck, Reason,
        RecordRoute, ReferSub, ReferTo, ReferredBy, RejectContact, Replaces, ReplyTo,
        RequestDisposition, Require, RetryAfter, Route, RSeq, Server, SessionExpires, Subject,
        SubscriptionState, Supported, Timestamp, To, Unsupported, UserAgent, Via, Warning,
        WwwAuthenticate,
    ];

    private const int LongestKnown = 20;

    private static readonly string[][] KnownByLength = BuildLengthTable();

    /// <summary>The full name for a compact form letter, or null if the letter is not one.</summary>
    public static string? FromCompactForm(char letter) => (letter | 0x20) switch
    {
        'a' => AcceptContact,
        'b' => ReferredBy,
        'c' => ContentType,
        'd' => RequestDisposition,
        'e' => ContentEncoding,
        'f' => From,
        'i' => CallId,
        'j' => RejectContact,
        'k' => Supported,
        'l' => ContentLength,
        'm' => Contact,
        'n' => IdentityInfo,
        'o' => Event,
        'r' => ReferTo,
        's' => Subject,
        't' => To,
        'u' => AllowEvents,
        'v' => Via,
        'x' => SessionExpires,
        'y' => Identity,
        _ => null,
    };

    /// <summary>The canonical spelling of a name: full form for compact forms and known names, otherwise the name unchanged.</summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 1)
        {
            return FromCompactForm(name[0]) ?? name;
        }

        if (name.Length <= LongestKnown)
        {
            foreach (var known in KnownByLength[name.Length])
            {
                if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }
        }

        return name;
    }

    /// <summary>Looks a raw ASCII name up without allocating; null when the name is not known.</summary>
    internal static string? FindKnown(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            return FromCompactForm((char)name[0]);
        }

        if (name.Length > LongestKnown)
        {
            return null;
        }

        foreach (var known in KnownByLength[name.Length])
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        return null;
    }

    private static string[][] BuildLengthTable()
    {
        var table = new string[LongestKnown + 1][];
        for (var length = 0; length <= LongestKnown; length++)
        {
            table[length] = Array.FindAll(Known, n => n.Length == length);
        }

        return table;
    }
}
