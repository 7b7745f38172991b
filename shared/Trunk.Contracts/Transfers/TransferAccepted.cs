using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The saga accepted the transfer: the REFER is answered 202.</summary>
public sealed record TransferAccepted(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId) : ICallEvent;
