using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Caller and target are joined.</summary>
public sealed record CallBridged(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId) : ICallEvent;
