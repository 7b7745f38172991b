using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// Parses one complete message (a UDP datagram, or a stream message already framed) from bytes.
/// Never throws on bad input: the error says why, and whether the request can still be answered.
/// Typed headers are left for later (lazy); the parser checks framing, the start line,
/// Content-Length and CSeq, which every receiver needs.
/// </summary>
public static class SipMessageParser
{
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out SipMessage? message, [NotNullWhen(false)] out SipParseError? error)
    {
        message = null;
        if (data.Length > SipLimits.MaxMessageSize)
        {
            error = new SipParseError(513, "Message Too Large", false, false, SipHeaders.Empty);
            return false;
        }

        // §7.5: CRLFs before the start line are ignored.
        var pos = 0;
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        var state = new ParseState();
        var lineEnd = FindLineEnd(data, pos, out var next);
        if (lineEnd < 0 || lineEnd - pos > SipLimits.MaxLineLength)
        {
            error = new SipParseError(400, lineEnd < 0 ? "Incomplete start line" : "Start line too long", false, false, SipHeaders.Empty);
            return false;
        }

        var startLine = data[pos..lineEnd];
        var isResponse = startLine.Length >= 4 && Ascii.EqualsIgnoreCase(startLine[..4], "SIP/"u8);
        string? method = null;
        SipUri? requestUri = null;
        var statusCode = 0;
        string? reasonPhrase = null;
        if (isResponse)
        {
            SipStartLineParser.ParseStatusLine(startLine, ref state, out statusCode, out reasonPhrase);
        }
        else
        {
            SipStartLineParser.ParseRequestLine(startLine, ref state, out method, out requestUri);
        }

        var bodyStart = SipHeaderSectionParser.Parse(data, next, ref state);
        var headers = SipHeaders.Wrap(state.Headers, state.HeaderCount);
        if (state.ErrorReason is null)
        {
            CheckFraming(data, bodyStart, ref state, out var bodyLength);
            if (state.ErrorReason is null)
            {
                var body = bodyLength == 0 ? ReadOnlyMemory<byte>.Empty : data.Slice(bodyStart, bodyLength).ToArray();
                message = isResponse
                    ? new SipResponse(statusCode, reasonPhrase!, headers, body, state.CSeq)
                    : new SipRequest(method!, requestUri!, headers, body, state.CSeq);
                error = null;
                return true;
            }
        }

        var canRespond = !isResponse && !state.Fatal && HasTransactionHeaders(headers);
        error = new SipParseError(state.ErrorCode, state.ErrorReason!, canRespond, !isResponse, headers);
        return false;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the error reason (for tests and trusted input).</summary>
    public static SipMessage Parse(ReadOnlySpan<byte> data) =>
        TryParse(data, out var message, out var error) ? message : throw new FormatException(error.Reason);

    /// <summary>Index of the end of the line content (before CR LF or a bare LF); -1 if no LF follows.</summary>
    internal static int FindLineEnd(ReadOnlySpan<byte> data, int pos, out int next)
    {
        var lf = pos < data.Length ? data[pos..].IndexOf((byte)'\n') : -1;
        if (lf < 0)
        {
            next = -1;
            return -1;
        }

        next = pos + lf + 1;
        var end = pos + lf;
        return end > pos && data[end - 1] == (byte)'\r' ? end - 1 : end;
    }

    // A 400 copies Via, From, To, Call-ID and CSeq (§8.2.6.2) and goes back along the top Via
    // (§18.2.2), so that one must parse; the others are copied as received.
    private static bool HasTransactionHeaders(SipHeaders headers) =>
        headers.GetFirst(SipHeaderNames.Via) is { } via && ViaHeader.TryParseList(via, [])
        && headers.Contains(SipHeaderNames.From) && headers.Contains(SipHeaderNames.To)
        && headers.Contains(SipHeaderNames.CallId) && headers.Contains(SipHeaderNames.CSeq);

    // §18.3: Content-Length frames the body; for UDP a missing one means "to the end of the datagram",
    // and octets beyond it are discarded. RFC 4475 §3.1.2.2/3.1.2.3/3.3.9: too large, negative or
    // multiple values are errors.
    private static void CheckFraming(ReadOnlySpan<byte> data, int bodyStart, ref ParseState state, out int bodyLength)
    {
        var available = data.Length - bodyStart;
        bodyLength = available;
        if (state.ContentLengthCount > 1)
        {
            state.Fail(400, "Multiple Content-Length headers");
        }
        else if (state.ContentLengthCount == 1)
        {
            if (state.ContentLength < 0)
            {
                state.Fail(400, "Malformed Content-Length");
            }
            else if (state.ContentLength > available)
            {
                state.Fail(400, "Content-Length larger than message");
            }
            else
            {
                bodyLength = state.ContentLength;
            }
        }
    }
}
