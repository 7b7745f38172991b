using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// A <c>message/sipfrag</c> body (RFC 3420 §2): an optional start line, any header fields and an
/// optional body. NOTIFYs of a REFER subscription carry one, often a bare status line
/// (<c>SIP/2.0 180 Ringing</c>, RFC 3515 §2.4.5).
/// </summary>
public sealed class SipFragment
{
    public const string MediaType = "message/sipfrag";

    private SipFragment(int? statusCode, string? reasonPhrase, string? method, SipUri? requestUri, SipHeaders headers, ReadOnlyMemory<byte> body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Method = method;
        RequestUri = requestUri;
        Headers = headers;
        Body = body;
    }

    public int? StatusCode { get; }

    public string? ReasonPhrase { get; }

    public string? Method { get; }

    public SipUri? RequestUri { get; }

    public SipHeaders Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>A status line alone, optionally with header fields.</summary>
    public static SipFragment ForStatus(int statusCode, string? reasonPhrase = null, SipHeaders? headers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        return new SipFragment(statusCode, reasonPhrase ?? SipReasonPhrases.For(statusCode), null, null, headers ?? SipHeaders.Empty, default);
    }

    /// <summary>The status line of a response, for the NOTIFY that reports a REFER's progress.</summary>
    public static SipFragment ForResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ForStatus(response.StatusCode, response.ReasonPhrase);
    }

    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out SipFragment? fragment)
    {
        fragment = null;
        if (data.Length > SipLimits.MaxMessageSize)
        {
            return false;
        }

        // A fragment may end without the empty line (or even the last CRLF) that closes a header section.
        var terminated = data.IndexOf("\r\n\r\n"u8) >= 0 || data.IndexOf("\n\n"u8) >= 0;
        ReadOnlySpan<byte> bytes = terminated ? data : [.. data, .. (data.EndsWith("\n"u8) ? "\r\n"u8 : "\r\n\r\n"u8)];

        var state = new ParseState();
        var lineEnd = SipMessageParser.FindLineEnd(bytes, 0, out var next);
        var line = bytes[..lineEnd];
        int? statusCode = null;
        string? reasonPhrase = null;
        string? method = null;
        SipUri? requestUri = null;
        var headerStart = 0;
        if (line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            SipStartLineParser.ParseStatusLine(line, ref state, out var code, out reasonPhrase);
            statusCode = code;
            headerStart = next;
        }
        else if (line.IndexOf(" SIP/"u8) > 0 && line.IndexOf((byte)':') > line.IndexOf((byte)' '))
        {
            SipStartLineParser.ParseRequestLine(line, ref state, out method, out requestUri);
            headerStart = next;
        }

        var bodyStart = state.ErrorReason is null ? SipHeaderSectionParser.Parse(bytes, headerStart, ref state) : 0;
        if (state.ErrorReason is not null)
        {
            return false;
        }

        var body = terminated && bodyStart < bytes.Length ? bytes[bodyStart..].ToArray() : ReadOnlyMemory<byte>.Empty;
        fragment = new SipFragment(statusCode, reasonPhrase, method, requestUri, SipHeaders.Wrap(state.Headers, state.HeaderCount), body);
        return true;
    }

    /// <summary>The fragment bytes: start line and headers each ending in CRLF, then CRLF and the body if there is one.</summary>
    public byte[] ToBytes()
    {
        var builder = new StringBuilder(64);
        if (StatusCode is { } code)
        {
            builder.Append(SipMessage.Version).Append(' ').Append(code).Append(' ').Append(ReasonPhrase).Append("\r\n");
        }
        else if (Method is not null)
        {
            builder.Append(Method).Append(' ').Append(RequestUri).Append(' ').Append(SipMessage.Version).Append("\r\n");
        }

        foreach (var header in Headers)
        {
            builder.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        if (!Body.IsEmpty)
        {
            builder.Append("\r\n");
        }

        return [.. Encoding.UTF8.GetBytes(builder.ToString()), .. Body.Span];
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}
