using System.Globalization;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>A SIP response: <c>SIP/2.0 Status-Code Reason-Phrase</c> (RFC 3261 §7.2).</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string? reasonPhrase, SipHeaders headers, ReadOnlyMemory<byte> body = default)
        : base(headers, body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? SipReasonPhrases.For(statusCode);
    }

    internal SipResponse(int statusCode, string reasonPhrase, SipHeaders headers, ReadOnlyMemory<byte> body, CSeqHeader? cseq)
        : base(headers, body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        CSeq = cseq;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public bool IsFinal => StatusCode >= 200;

    public override SipResponse WithHeaders(SipHeaders headers) => new(StatusCode, ReasonPhrase, headers, Body);

    private protected override SipMessage WithHeadersAndBody(SipHeaders headers, ReadOnlyMemory<byte> body) =>
        new SipResponse(StatusCode, ReasonPhrase, headers, body);

    internal override int GetStartLineByteCount() => Version.Length + 5 + Encoding.UTF8.GetByteCount(ReasonPhrase) + 2;

    internal override int WriteStartLine(Span<byte> destination)
    {
        var written = Encoding.ASCII.GetBytes(Version, destination);
        destination[written++] = (byte)' ';
        StatusCode.TryFormat(destination[written..], out var digits, default, CultureInfo.InvariantCulture);
        written += digits;
        destination[written++] = (byte)' ';
        written += Encoding.UTF8.GetBytes(ReasonPhrase, destination[written..]);
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }
}
