using System.Net;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>Rewrites a received request's top Via with <c>received</c>/<c>rport</c> (§18.2.1, RFC 3581 §4).</summary>
internal static class ViaStamping
{
    public static SipRequest Stamp(SipRequest request, IPEndPoint source)
    {
        var vias = request.Vias;
        if (vias.Count == 0)
        {
            return request;
        }

        var stamped = ResponseRouting.Stamp(vias[0], source);
        if (ReferenceEquals(stamped, vias[0]))
        {
            return request;
        }

        // The first Via field may hold several comma-separated values: write them back one per field.
        var headers = new List<SipHeader>(request.Headers.Count + vias.Count);
        var written = false;
        foreach (var header in request.Headers)
        {
            if (header.Name != SipHeaderNames.Via)
            {
                headers.Add(header);
            }
            else if (!written)
            {
                written = true;
                headers.Add(new SipHeader(SipHeaderNames.Via, stamped.ToString()));
                for (var i = 1; i < vias.Count; i++)
                {
                    headers.Add(new SipHeader(SipHeaderNames.Via, vias[i].ToString()));
                }
            }
        }

        return request.WithHeaders(SipHeaders.Create(headers));
    }
}
