using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The target answered 200 OK.</summary>
public sealed record TargetAnswered(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId) : ICallEvent;
