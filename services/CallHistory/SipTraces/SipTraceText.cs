using System.Globalization;
using System.Text;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// A trace as plain text, one block per message: a header line <c>direction time leg transport local -> remote</c>
/// (the arrow points the way the message travelled), the raw message, and a blank line.
/// </summary>
public static class SipTraceText
{
    public static string Write(SipTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var text = new StringBuilder();
        foreach (var message in trace.Messages)
        {
            var arrow = message.Direction == SipDirection.Sent ? "->" : "<-";
            text.Append(CultureInfo.InvariantCulture, $"{message.Direction.ToString().ToUpperInvariant()} ")
                .Append(message.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
                .Append(CultureInfo.InvariantCulture, $" {message.Leg.ToString().ToLowerInvariant()} {message.Transport.ToUpperInvariant()} ")
                .Append(CultureInfo.InvariantCulture, $"{message.LocalAddress} {arrow} {message.RemoteAddress}")
                .Append("\r\n")
                .Append(message.Raw);
            if (!message.Raw.EndsWith("\r\n", StringComparison.Ordinal))
            {
                text.Append("\r\n");
            }

            text.Append("\r\n");
        }

        return text.ToString();
    }
}
