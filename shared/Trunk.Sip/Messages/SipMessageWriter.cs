using System.Buffers;
using System.Globalization;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// Writes the canonical wire form: the start line, one <c>Name: value</c> line per header field in
/// order (unknown headers intact), a Content-Length equal to the body length (required on stream
/// transports, RFC 3261 §18.3; written where the first one stood, else last), CRLF, the body.
/// </summary>
internal static class SipMessageWriter
{
    public static byte[] ToBytes(SipMessage message)
    {
        var bytes = new byte[GetByteCount(message)];
        Write(message, bytes);
        return bytes;
    }

    public static void Write(SipMessage message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var count = GetByteCount(message);
        var span = writer.GetSpan(count);
        Write(message, span);
        writer.Advance(count);
    }

    public static int GetByteCount(SipMessage message)
    {
        var count = message.GetStartLineByteCount() + 2 + message.Body.Length;
        var contentLengthWritten = false;
        foreach (var header in message.Headers)
        {
            if (IsContentLength(header))
            {
                if (!contentLengthWritten)
                {
                    count += ContentLengthLineByteCount(message);
                    contentLengthWritten = true;
                }

                continue;
            }

            count += Encoding.UTF8.GetByteCount(header.Name) + 2 + Encoding.UTF8.GetByteCount(header.Value) + 2;
        }

        return contentLengthWritten ? count : count + ContentLengthLineByteCount(message);
    }

    private static void Write(SipMessage message, Span<byte> destination)
    {
        var written = message.WriteStartLine(destination);
        var contentLengthWritten = false;
        foreach (var header in message.Headers)
        {
            if (IsContentLength(header))
            {
                if (!contentLengthWritten)
                {
                    written += WriteContentLength(message, destination[written..]);
                    contentLengthWritten = true;
                }

                continue;
            }

            written += Encoding.UTF8.GetBytes(header.Name, destination[written..]);
            destination[written++] = (byte)':';
            destination[written++] = (byte)' ';
            written += Encoding.UTF8.GetBytes(header.Value, destination[written..]);
            destination[written++] = (byte)'\r';
            destination[written++] = (byte)'\n';
        }

        if (!contentLengthWritten)
        {
            written += WriteContentLength(message, destination[written..]);
        }

        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        message.Body.Span.CopyTo(destination[written..]);
    }

    private static bool IsContentLength(SipHeader header) =>
        string.Equals(header.Name, SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);

    private static int ContentLengthLineByteCount(SipMessage message) =>
        SipHeaderNames.ContentLength.Length + 2 + DigitCount(message.Body.Length) + 2;

    private static int WriteContentLength(SipMessage message, Span<byte> destination)
    {
        var written = Encoding.ASCII.GetBytes(SipHeaderNames.ContentLength, destination);
        destination[written++] = (byte)':';
        destination[written++] = (byte)' ';
        message.Body.Length.TryFormat(destination[written..], out var digits, default, CultureInfo.InvariantCulture);
        written += digits;
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }

    private static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
