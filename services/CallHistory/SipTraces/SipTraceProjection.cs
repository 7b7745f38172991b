using JasperFx.Events;
using Marten.Events.Aggregation;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// Merges each <see cref="SipMessagesTraced"/> batch into the call's <see cref="SipTrace"/>, ordered by wire time
/// (a stable sort, so messages with the same time keep the order their batch gave them).
/// </summary>
public sealed class SipTraceProjection : SingleStreamProjection<SipTrace, Guid>
{
    public SipTraceProjection() => IncludeType<SipMessagesTraced>();

    public override SipTrace Evolve(SipTrace? snapshot, Guid id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var trace = snapshot ?? new SipTrace { Id = id };
        return e.Data is SipMessagesTraced batch
            ? trace with { Messages = [.. trace.Messages.Concat(batch.Messages).OrderBy(m => m.At)] }
            : trace;
    }
}
