using System.Globalization;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Dialogs;

/// <summary>Requests inside a dialog (RFC 3261 §12.2.1.1) and the ACK for a 2xx (§13.2.2.4).</summary>
public static class DialogRequests
{
    /// <summary>
    /// BYE, re-INVITE, UPDATE, REFER, NOTIFY…: To/From/Call-ID from the dialog, the next local CSeq,
    /// and Request-URI plus Route by the loose (lr) or strict routing rule of §12.2.1.1.
    /// </summary>
    public static SipRequest CreateRequest(this Dialog dialog, string method, IEnumerable<SipHeader>? extraHeaders = null,
        ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method is SipMethod.Ack or SipMethod.Cancel)
        {
            throw new ArgumentException("ACK and CANCEL reuse the CSeq of their INVITE: use CreateAck or ClientRequests.Cancel.", nameof(method));
        }

        return Build(dialog, method, dialog.NextLocalSequence(), extraHeaders, body, contentType);
    }

    /// <summary>§13.2.2.4: the ACK for a 2xx carries the INVITE's CSeq number and the dialog's route set.</summary>
    public static SipRequest CreateAck(this Dialog dialog, long inviteSequence, ReadOnlyMemory<byte> body = default, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return Build(dialog, SipMethod.Ack, inviteSequence, null, body, contentType);
    }

    private static SipRequest Build(Dialog dialog, string method, long sequence, IEnumerable<SipHeader>? extraHeaders,
        ReadOnlyMemory<byte> body, string? contentType)
    {
        var (requestUri, routes) = Routing(dialog);
        var headers = new List<SipHeader>(12)
        {
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, dialog.LocalParty),
            new(SipHeaderNames.To, dialog.RemoteParty),
            new(SipHeaderNames.CallId, dialog.Id.CallId),
            new(SipHeaderNames.CSeq, $"{sequence.ToString(CultureInfo.InvariantCulture)} {method}"),
        };
        headers.AddRange(routes.Select(r => new SipHeader(SipHeaderNames.Route, r)));
        if (method is SipMethod.Invite or SipMethod.Update or SipMethod.Subscribe or SipMethod.Notify or SipMethod.Refer)
        {
            // §12.2.1.1 / §8.1.1.8: target-refresh requests carry our Contact.
            headers.Add(new SipHeader(SipHeaderNames.Contact, $"<{dialog.LocalContact}>"));
        }

        if (extraHeaders is not null)
        {
            headers.AddRange(extraHeaders);
        }

        var request = new SipRequest(method, requestUri, SipHeaders.Create(headers));
        return body.IsEmpty ? request : (SipRequest)request.WithBody(body, contentType);
    }

    /// <summary>
    /// §12.2.1.1: empty route set → Request-URI is the remote target, no Route. First route loose
    /// (<c>lr</c>) → Request-URI is the remote target, Route is the set. Otherwise (strict) → the
    /// first route becomes the Request-URI (without parameters not allowed there) and the remote
    /// target goes last in Route.
    /// </summary>
    private static (SipUri RequestUri, IReadOnlyList<string> Routes) Routing(Dialog dialog)
    {
        if (dialog.RouteSet.Count == 0)
        {
            return (dialog.RemoteTarget, []);
        }

        if (!NameAddress.TryParse(dialog.RouteSet[0], out var first) || first.Uri.IsLooseRouter)
        {
            return (dialog.RemoteTarget, dialog.RouteSet);
        }

        var strictUri = first.Uri.WithParameters(first.Uri.Parameters.Without("method").Without("maddr").Without("ttl")
            .Without("transport").Without("lr")).WithHeaders(SipParameters.Empty);
        return (strictUri, [.. dialog.RouteSet.Skip(1), $"<{dialog.RemoteTarget}>"]);
    }
}
