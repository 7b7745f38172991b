using System.Globalization;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Sip.Dialogs;

/// <summary>Requests outside a dialog (RFC 3261 §8.1.1): the INVITE (or OPTIONS, REFER…) that may start one.</summary>
public static class InitialRequests
{
    /// <summary>
    /// §8.1.1: Request-URI and To from the target, From with a fresh tag, a new Call-ID, CSeq 1,
    /// Max-Forwards 70, our Contact (§8.1.1.8), and the body if any. The stack adds the Via.
    /// </summary>
    public static SipRequest Create(string method, SipUri target, NameAddress from, SipUri contact,
        ReadOnlyMemory<byte> body = default, string? contentType = null, IEnumerable<SipHeader>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(contact);
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, (from.Tag is null ? from.WithTag(SipIds.NewTag()) : from).ToString()),
            new(SipHeaderNames.To, new NameAddress(target).ToString()),
            new(SipHeaderNames.CallId, SipIds.NewCallId(contact.Host)),
            new(SipHeaderNames.CSeq, string.Create(CultureInfo.InvariantCulture, $"1 {method}")),
            new(SipHeaderNames.Contact, $"<{contact}>"),
        };
        if (extraHeaders is not null)
        {
            headers.AddRange(extraHeaders);
        }

        var request = new SipRequest(method, target, SipHeaders.Create(headers));
        return body.IsEmpty ? request : (SipRequest)request.WithBody(body, contentType);
    }
}
