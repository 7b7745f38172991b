using Marten;

namespace Trunk.CallHistory.SipTraces;

/// <summary>
/// A call's <see cref="SipTrace"/>, folded from its stream's <c>SipMessagesTraced</c> events when it is read (a live
/// aggregation of <see cref="SipTraceProjection"/>), so it holds every batch committed before the read.
/// </summary>
public static class SipTraceReader
{
    /// <summary>The call's trace; null when the call has no events.</summary>
    public static Task<SipTrace?> LoadAsync(IQuerySession session, Guid callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Events.AggregateStreamAsync<SipTrace>(callId, token: cancellationToken);
    }
}
