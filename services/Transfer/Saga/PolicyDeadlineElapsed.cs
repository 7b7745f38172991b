using Trunk.Contracts;

namespace Trunk.Transfer.Saga;

/// <summary>Timeout: Policy did not answer CheckTransfer or ReserveFunds in time. Only the saga's own scheduler sends it.</summary>
public sealed record PolicyDeadlineElapsed(Guid CallId, DateTimeOffset At, Guid TransferId, Guid TimeoutId) : ICallMessage;
