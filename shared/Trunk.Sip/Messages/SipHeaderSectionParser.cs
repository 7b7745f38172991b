using System.Globalization;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// Reads header fields up to the empty line: names canonicalized (compact forms expanded, §7.3.3),
/// folded lines joined (a line starting with SP/HTAB continues the previous field, §7.3.1),
/// values trimmed, everything else kept as received.
/// </summary>
internal static class SipHeaderSectionParser
{
    /// <summary>Returns the offset of the body (after the empty line), or the data length if the section is unterminated.</summary>
    public static int Parse(ReadOnlySpan<byte> data, int pos, ref ParseState state)
    {
        string? pendingName = null;
        var valueStart = 0;
        var valueEnd = 0;
        var folded = false;
        while (true)
        {
            var next = -1;
            var lineEnd = pos < 0 ? -1 : SipMessageParser.FindLineEnd(data, pos, out next);
            if (lineEnd < 0)
            {
                // §7: the header section ends with an empty line; a datagram cut short has none.
                Flush(data, pendingName, valueStart, valueEnd, folded, ref state);
                state.Fail(400, "Incomplete header section");
                return data.Length;
            }

            if (lineEnd - pos > SipLimits.MaxLineLength)
            {
                state.Fail(400, "Header line too long", fatal: true);
                return data.Length;
            }

            if (lineEnd == pos)
            {
                Flush(data, pendingName, valueStart, valueEnd, folded, ref state);
                return next;
            }

            if (data[pos] is (byte)' ' or (byte)'\t')
            {
                if (pendingName is null)
                {
                    state.Fail(400, "Malformed header line");
                }

                valueEnd = lineEnd;
                folded = true;
                pos = next;
                continue;
            }

            Flush(data, pendingName, valueStart, valueEnd, folded, ref state);
            pendingName = null;
            var line = data[pos..lineEnd];
            var colon = line.IndexOf((byte)':');
            var name = colon < 0 ? default : line[..colon].TrimEnd(" \t"u8);
            if (!SipSyntax.IsToken(name))
            {
                state.Fail(400, "Malformed header line");
            }
            else if (state.HeaderCount == SipLimits.MaxHeaderCount)
            {
                state.Fail(400, "Too many headers", fatal: true);
                return data.Length;
            }
            else
            {
                pendingName = SipHeaderNames.FindKnown(name) ?? Encoding.ASCII.GetString(name);
                valueStart = pos + colon + 1;
                valueEnd = lineEnd;
                folded = false;
            }

            pos = next;
        }
    }

    private static void Flush(ReadOnlySpan<byte> data, string? name, int start, int end, bool folded, ref ParseState state)
    {
        if (name is null)
        {
            return;
        }

        var raw = data[start..end];
        var value = folded ? Unfold(raw) : Encoding.UTF8.GetString(raw.Trim(" \t"u8));
        if (value.Length > SipLimits.MaxLineLength)
        {
            state.Fail(400, "Header value too long", fatal: true);
            return;
        }

        state.Add(new SipHeader(name, value));
        if (ReferenceEquals(name, SipHeaderNames.ContentLength))
        {
            state.ContentLengthCount++;
            state.ContentLength = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : -1;
        }
        else if (ReferenceEquals(name, SipHeaderNames.CSeq) && state.CSeq is null)
        {
            if (CSeqHeader.TryParse(value, out var cseq))
            {
                state.CSeq = cseq;
            }
            else
            {
                state.Fail(400, "Malformed CSeq");
            }
        }
    }

    // LWS = [*WSP CRLF] 1*WSP is equivalent to one SP (§7.3.1).
    private static string Unfold(ReadOnlySpan<byte> raw)
    {
        var buffer = raw.Length <= 512 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] is (byte)'\r' or (byte)'\n')
            {
                while (length > 0 && buffer[length - 1] is (byte)' ' or (byte)'\t')
                {
                    length--;
                }

                while (i + 1 < raw.Length && raw[i + 1] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
                {
                    i++;
                }

                buffer[length++] = (byte)' ';
                continue;
            }

            buffer[length++] = raw[i];
        }

        return Encoding.UTF8.GetString(buffer[..length].Trim(" \t"u8));
    }
}
