using Trunk.Contracts;

namespace Trunk.Transfer.Saga;

/// <summary>
/// Timeout: a call the target answered has not ended within <see cref="TransferSettings.MaxCallDuration"/> (or its
/// bridge was never confirmed), for example because the Signaling instance that held it stopped. Only the saga's own
/// scheduler sends it.
/// </summary>
public sealed record MaxCallDurationElapsed(Guid CallId, DateTimeOffset At, Guid TransferId, Guid TimeoutId) : ICallMessage;
