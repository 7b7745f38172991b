using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary>
/// The checks a UAS makes on a parsed request before the transaction user sees it, in the order
/// of RFC 3261 §8.2: mandatory and single-value headers and their syntax (400), method (501,
/// §8.2.1), CSeq method (400), Request-URI scheme (416, §8.2.2.1), Require (420, §8.2.2.3),
/// Content-Type (415, §8.2.3), Accept for INVITE (406) and, for a forwarding element, Max-Forwards (483).
/// </summary>
public static class SipRequestValidator
{
    private static readonly string[] Mandatory =
        [SipHeaderNames.Via, SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq];

    // Header fields that carry exactly one value (§7.3.1: only list headers may repeat).
    private static readonly string[] SingleValued =
    [
        SipHeaderNames.From, SipHeaderNames.To, SipHeaderNames.CallId, SipHeaderNames.CSeq, SipHeaderNames.MaxForwards,
        SipHeaderNames.ContentType, SipHeaderNames.ContentLength, SipHeaderNames.Expires, SipHeaderNames.ReferTo,
        SipHeaderNames.ReferredBy, SipHeaderNames.Event, SipHeaderNames.SubscriptionState, SipHeaderNames.Replaces,
    ];

    /// <summary>Null when the request may be passed on; otherwise the failure to answer with.</summary>
    public static SipValidationFailure? Validate(SipRequest request, SipValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= SipValidationOptions.Default;
        return CheckHeaders(request)
            ?? CheckMethod(request, options)
            ?? CheckCSeqMethod(request)
            ?? CheckScheme(request, options)
            ?? CheckRequire(request, options)
            ?? CheckContentType(request, options)
            ?? CheckAccept(request, options)
            ?? (options.ForwardsRequests ? CheckMaxForwards(request) : null);
    }

    /// <summary>For an element that forwards the request (proxy, B2BUA): 483 when Max-Forwards is 0 (§16.3 step 3).</summary>
    public static SipValidationFailure? CheckMaxForwards(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MaxForwards == 0 ? new SipValidationFailure(483, "Too Many Hops") : null;
    }

    private static SipValidationFailure? CheckHeaders(SipRequest request)
    {
        var headers = request.Headers;
        var missing = Mandatory.Where(name => !headers.Contains(name)).ToArray();
        if (missing.Length > 0)
        {
            return BadRequest($"Missing {string.Join(", ", missing)} header{(missing.Length > 1 ? "s" : string.Empty)}");
        }

        foreach (var name in SingleValued)
        {
            if (headers.CountOf(name) > 1)
            {
                return BadRequest($"Multiple {name} headers");
            }
        }

        var callId = headers.GetFirst(SipHeaderNames.CallId)!;
        if (callId.Length == 0 || callId.AsSpan().ContainsAny(" \t"))
        {
            return BadRequest("Malformed Call-ID header");
        }

        if (request.CSeq is null)
        {
            return BadRequest("Malformed CSeq header");
        }

        if (request.Vias.Count == 0)
        {
            return BadRequest("Malformed Via header");
        }

        if (request.From is null)
        {
            return BadRequest("Malformed From header");
        }

        if (request.To is null)
        {
            return BadRequest("Malformed To header");
        }

        if (headers.Contains(SipHeaderNames.Contact) && request.Contacts.Count == 0)
        {
            return BadRequest("Malformed Contact header");
        }

        if (headers.GetFirst(SipHeaderNames.MaxForwards) is { } maxForwards
            && !(byte.TryParse(maxForwards, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return BadRequest("Malformed Max-Forwards header");
        }

        return headers.Contains(SipHeaderNames.ContentType) && request.ContentType is null
            ? BadRequest("Malformed Content-Type header")
            : null;
    }

    private static SipValidationFailure? CheckMethod(SipRequest request, SipValidationOptions options) =>
        options.Methods.Contains(request.Method)
            ? null
            : new SipValidationFailure(501, "Not Implemented", SipHeaders.Empty.Add(SipHeaderNames.Allow, string.Join(", ", options.Methods.Order(StringComparer.Ordinal))));

    // §8.1.1.5 / RFC 4475 §3.1.2.17: the CSeq method must match the Request-Line (CANCEL and ACK included).
    private static SipValidationFailure? CheckCSeqMethod(SipRequest request) =>
        request.CSeq!.Method == request.Method ? null : BadRequest("CSeq method does not match Request-Line");

    private static SipValidationFailure? CheckScheme(SipRequest request, SipValidationOptions options) =>
        options.UriSchemes.Contains(request.RequestUri.Scheme) ? null : new SipValidationFailure(416, "Unsupported URI Scheme");

    // §8.2.2.3: ACK and CANCEL are not refused for Require (CANCEL must not carry it; an ACK cannot be answered).
    private static SipValidationFailure? CheckRequire(SipRequest request, SipValidationOptions options)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel || !request.Headers.Contains(SipHeaderNames.Require))
        {
            return null;
        }

        if (TokenList.Collect(request.Headers, SipHeaderNames.Require) is not { } required)
        {
            return BadRequest("Malformed Require header");
        }

        var unsupported = required.Where(tag => !options.Extensions.Contains(tag)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return unsupported.Length == 0
            ? null
            : new SipValidationFailure(420, "Bad Extension", SipHeaders.Empty.Add(SipHeaderNames.Unsupported, string.Join(", ", unsupported)));
    }

    private static SipValidationFailure? CheckContentType(SipRequest request, SipValidationOptions options)
    {
        if (request.Body.IsEmpty)
        {
            return null;
        }

        // §20.15: a non-empty body must be described by Content-Type.
        if (request.ContentType is not { } type)
        {
            return BadRequest("Missing Content-Type header");
        }

        return options.ContentTypes.Contains(type)
            ? null
            : new SipValidationFailure(415, "Unsupported Media Type", SipHeaders.Empty.Add(SipHeaderNames.Accept, string.Join(", ", options.ContentTypes.Order(StringComparer.Ordinal))));
    }

    private static SipValidationFailure? CheckAccept(SipRequest request, SipValidationOptions options)
    {
        if (request.Method != SipMethod.Invite || request.Headers.GetFirst(SipHeaderNames.Accept) is not { } accept || accept.Trim().Length == 0)
        {
            return null;
        }

        var parts = new List<Range>();
        if (!SipSyntax.TrySplitList(accept, parts))
        {
            return BadRequest("Malformed Accept header");
        }

        foreach (var range in parts)
        {
            if (MediaType.TryParse(accept.AsSpan()[range], out var accepted) && accepted.Covers(options.InviteAnswerType))
            {
                return null;
            }
        }

        return new SipValidationFailure(406, "Not Acceptable", SipHeaders.Empty.Add(SipHeaderNames.Accept, options.InviteAnswerType));
    }

    private static SipValidationFailure BadRequest(string reason) => new(400, reason);
}
