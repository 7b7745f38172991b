using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: join the caller and the answered target, then release the endpoint.</summary>
public sealed record BridgeLegs(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId) : ICallMessage;
