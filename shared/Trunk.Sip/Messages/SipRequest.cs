using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>A SIP request: <c>Method Request-URI SIP/2.0</c> (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, SipUri requestUri, SipHeaders headers, ReadOnlyMemory<byte> body = default)
        : base(headers, body)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (!SipSyntax.IsToken(method))
        {
            throw new ArgumentException($"Method must be a token: {method}", nameof(method));
        }

        Method = method;
        RequestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
    }

    internal SipRequest(string method, SipUri requestUri, SipHeaders headers, ReadOnlyMemory<byte> body, CSeqHeader? cseq)
        : base(headers, body)
    {
        Method = method;
        RequestUri = requestUri;
        CSeq = cseq;
    }

    public string Method { get; }

    public SipUri RequestUri { get; }

    public override SipRequest WithHeaders(SipHeaders headers) => new(Method, RequestUri, headers, Body);

    public SipRequest WithRequestUri(SipUri requestUri) => new(Method, requestUri, Headers, Body);

    /// <summary>
    /// Builds a response per RFC 3261 §8.2.6.2: copies Via (all, in order), From, To, Call-ID and
    /// CSeq; adds the To tag when one is given and To has none. A 100 copies Timestamp (§8.2.6.1).
    /// </summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null, string? toTag = null) =>
        SipResponseFactory.Create(Headers, statusCode, reasonPhrase, toTag);

    private protected override SipMessage WithHeadersAndBody(SipHeaders headers, ReadOnlyMemory<byte> body) =>
        new SipRequest(Method, RequestUri, headers, body);

    internal override int GetStartLineByteCount() =>
        Encoding.UTF8.GetByteCount(Method) + 1 + Encoding.UTF8.GetByteCount(RequestUri.ToString()) + 1 + Version.Length + 2;

    internal override int WriteStartLine(Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(Method, destination);
        destination[written++] = (byte)' ';
        written += Encoding.UTF8.GetBytes(RequestUri.ToString(), destination[written..]);
        destination[written++] = (byte)' ';
        written += Encoding.ASCII.GetBytes(Version, destination[written..]);
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }
}
