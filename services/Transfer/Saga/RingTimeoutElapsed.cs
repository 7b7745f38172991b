using Trunk.Contracts;

namespace Trunk.Transfer.Saga;

/// <summary>Timeout: the target did not answer within the ring timeout. Only the saga's own scheduler sends it.</summary>
public sealed record RingTimeoutElapsed(Guid CallId, DateTimeOffset At, Guid TransferId, Guid TimeoutId) : ICallMessage;
