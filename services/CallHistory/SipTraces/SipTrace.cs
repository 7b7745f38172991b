using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.SipTraces;

/// <summary>Every SIP message of one call, all legs, in the order they crossed the wire.</summary>
public sealed record SipTrace
{
    public Guid Id { get; init; }

    public IReadOnlyList<TracedSipMessage> Messages { get; init; } = [];
}
