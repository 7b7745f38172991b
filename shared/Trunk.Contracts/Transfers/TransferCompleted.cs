using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The transfer ended well: the caller talks to the target and the endpoint leg was released.</summary>
public sealed record TransferCompleted(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    TimeSpan ReferToBridge) : ICallEvent;
