namespace Trunk.Sip.Messages;

/// <summary>Builds responses from the header fields of a request (RFC 3261 §8.2.6).</summary>
internal static class SipResponseFactory
{
    public static SipResponse Create(SipHeaders request, int statusCode, string? reasonPhrase, string? toTag)
    {
        var headers = new List<SipHeader>(8);
        foreach (var header in request)
        {
            if (IsCopied(header.Name, statusCode))
            {
                headers.Add(header.Name == SipHeaderNames.To && toTag is not null ? WithTag(header, toTag) : header);
            }
        }

        return new SipResponse(statusCode, reasonPhrase, SipHeaders.Wrap([.. headers], headers.Count));
    }

    // §8.2.6.2: From, Call-ID, CSeq and Via (in order) are copied; To is copied and gets a tag.
    // §8.2.6.1: a 100 (Trying) copies Timestamp.
    private static bool IsCopied(string name, int statusCode) =>
        name is SipHeaderNames.Via or SipHeaderNames.From or SipHeaderNames.To or SipHeaderNames.CallId or SipHeaderNames.CSeq
        || (statusCode == 100 && name == SipHeaderNames.Timestamp);

    private static SipHeader WithTag(SipHeader to, string tag)
    {
        if (NameAddress.TryParse(to.Value, out var address) && address.Tag is not null)
        {
            return to;
        }

        return to with { Value = $"{to.Value};tag={tag}" };
    }
}
