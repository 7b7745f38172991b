using Trunk.Contracts.Calls;

namespace Trunk.Signaling.Tracing;

/// <summary>The SIP messages of one call not yet published; drained about once a second and at the end of the call.</summary>
internal sealed class SipTraceBuffer
{
    private readonly object _gate = new();
    private List<TracedSipMessage> _pending = [];

    public void Add(TracedSipMessage message)
    {
        lock (_gate)
        {
            _pending.Add(message);
        }
    }

    public IReadOnlyList<TracedSipMessage> Drain()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            var drained = _pending;
            _pending = [];
            return drained;
        }
    }
}
