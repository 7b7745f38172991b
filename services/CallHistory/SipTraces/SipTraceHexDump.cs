using System.Globalization;
using System.Text;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// A trace as a text2pcap hex dump (the <c>od -Ax -tx1</c> form Wireshark's "Import from Hex Dump" reads): per
/// message a UTC time line (ISO 8601), then its <see cref="SipFrames"/> frame 16 bytes a line behind a hex offset. Convert with
/// <c>text2pcap -t ISO trace.txt trace.pcap</c> (Ethernet, the default link type).
/// </summary>
public static class SipTraceHexDump
{
    public const string TimeFormat = "ISO";

    public static string Write(SipTrace trace)
    {
        var text = new StringBuilder();
        foreach (var (at, frame) in SipFrames.Of(trace))
        {
            text.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append('\n');
            for (var offset = 0; offset < frame.Length; offset += 16)
            {
                text.Append(offset.ToString("x6", CultureInfo.InvariantCulture));
                foreach (var b in frame.AsSpan(offset, Math.Min(16, frame.Length - offset)))
                {
                    text.Append(' ').Append(b.ToString("x2", CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
