using Trunk.Sip.Messages;

namespace Trunk.Sip.Transactions;

/// <summary>Requests the client side derives from a request it sent: ACK for a non-2xx and CANCEL.</summary>
public static class ClientRequests
{
    /// <summary>
    /// The ACK for a 300–699 to an INVITE (§17.1.1.3): the INVITE's Request-URI, top Via, From,
    /// Call-ID and Route; the response's To (with its tag); the CSeq number with method ACK.
    /// </summary>
    public static SipRequest AckForFailure(SipRequest invite, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(response);
        return Derived(invite, SipMethod.Ack, response.Headers.GetFirst(SipHeaderNames.To));
    }

    /// <summary>
    /// A CANCEL for a request (§9.1): same Request-URI, Call-ID, To, From, CSeq number and the
    /// single top Via (same branch), Route copied; method CANCEL.
    /// </summary>
    public static SipRequest Cancel(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Derived(request, SipMethod.Cancel, null);
    }

    private static SipRequest Derived(SipRequest request, string method, string? to)
    {
        var headers = new List<SipHeader>(8);
        if (request.TopVia is { } via)
        {
            headers.Add(new SipHeader(SipHeaderNames.Via, via.ToString()));
        }

        headers.Add(new SipHeader(SipHeaderNames.MaxForwards, "70"));
        Copy(request, SipHeaderNames.From, headers);
        if (to is null)
        {
            Copy(request, SipHeaderNames.To, headers);
        }
        else
        {
            headers.Add(new SipHeader(SipHeaderNames.To, to));
        }

        Copy(request, SipHeaderNames.CallId, headers);
        headers.Add(new SipHeader(SipHeaderNames.CSeq, $"{request.CSeq?.Number ?? 1} {method}"));
        foreach (var route in request.Headers.GetAll(SipHeaderNames.Route))
        {
            headers.Add(new SipHeader(SipHeaderNames.Route, route));
        }

        headers.Add(new SipHeader(SipHeaderNames.ContentLength, "0"));
        return new SipRequest(method, request.RequestUri, SipHeaders.Create(headers));
    }

    private static void Copy(SipRequest request, string name, List<SipHeader> into)
    {
        if (request.Headers.GetFirst(name) is { } value)
        {
            into.Add(new SipHeader(name, value));
        }
    }
}
