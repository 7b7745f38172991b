using System.Text;

namespace Trunk.Sip.Transport;

/// <summary>
/// Finds the Content-Length (or its compact form <c>l</c>, RFC 3261 §7.3.3) in a header block
/// without parsing the message: the stream framer needs only this one value (§18.3).
/// </summary>
public static class ContentLengthScanner
{
    /// <summary>The body length, 0 when absent, or -1 when the value is not a number.</summary>
    public static long Find(ReadOnlySpan<byte> headerBlock)
    {
        var rest = headerBlock;
        while (!rest.IsEmpty)
        {
            var lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsContentLengthName(line[..colon].TrimEnd(" \t"u8)))
            {
                continue;
            }

            // Folded continuation lines (§7.3.1) are joined before the value is read.
            var value = new StringBuilder(Encoding.ASCII.GetString(line[(colon + 1)..]));
            while (!rest.IsEmpty && (rest[0] == (byte)' ' || rest[0] == (byte)'\t'))
            {
                var next = rest.IndexOf("\r\n"u8);
                value.Append(' ').Append(Encoding.ASCII.GetString(next < 0 ? rest : rest[..next]));
                rest = next < 0 ? [] : rest[(next + 2)..];
            }

            return long.TryParse(value.ToString().Trim(), out var length) && length >= 0 ? length : -1;
        }

        return 0;
    }

    private static bool IsContentLengthName(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "l"u8);
}
