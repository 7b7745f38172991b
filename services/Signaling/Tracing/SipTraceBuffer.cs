using System.Net;
using System.Text;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.Signaling.Tracing;

/// <summary>
/// The SIP messages of one call not yet published; drained once the oldest has waited <see cref="SipTraceFlusher.MaxWait"/>
/// and at the end of the call. A message
/// waits as its wire form in UTF-8 with the end points it went between, and becomes a <see cref="TracedSipMessage"/>
/// (text, addresses as text) only when its batch is published: what a call keeps while it lasts is half the size, and
/// everything the batch adds dies young with the publish.
/// </summary>
internal sealed class SipTraceBuffer
{
    private readonly object _gate = new();
    private List<Captured> _pending = [];
    private DateTimeOffset _oldest;

    public void Add(DateTimeOffset at, LegSide leg, SipDirection direction, string transport, IPEndPoint local, IPEndPoint remote, byte[] wire)
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _oldest = at;
            }

            _pending.Add(new Captured(at, leg, direction, transport, local, remote, wire));
        }
    }

    /// <summary>Every message waiting.</summary>
    public IReadOnlyList<TracedSipMessage> Drain() => Drain(DateTimeOffset.MaxValue);

    /// <summary>Every message waiting when the oldest was captured at or before <paramref name="cutoff"/>, else none.</summary>
    public IReadOnlyList<TracedSipMessage> Drain(DateTimeOffset cutoff)
    {
        List<Captured> drained;
        lock (_gate)
        {
            if (_pending.Count == 0 || _oldest > cutoff)
            {
                return [];
            }

            drained = _pending;
            _pending = [];
        }

        var messages = new TracedSipMessage[drained.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var m = drained[i];
            messages[i] = new TracedSipMessage(m.At, m.Leg, m.Direction, m.Transport, m.Local.ToString(), m.Remote.ToString(), Text(m.Wire));
        }

        return messages;
    }

    /// <summary>
    /// The message as text. A NUL byte (a binary body such as ISUP in SIP-I, or a malformed message) becomes U+2400 (␀):
    /// JSON can carry U+0000, but PostgreSQL's jsonb, where CallHistory and many subscribers keep events, refuses it, and
    /// the whole batch would be lost with it.
    /// </summary>
    private static string Text(byte[] wire)
    {
        var text = Encoding.UTF8.GetString(wire);
        return text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\u2400') : text;
    }

    private readonly record struct Captured(DateTimeOffset At, LegSide Leg, SipDirection Direction, string Transport, IPEndPoint Local,
        IPEndPoint Remote, byte[] Wire);
}
