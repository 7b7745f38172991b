using System;

namespace Trunk.Contracts.Transfers;

/// <summary>The transfer ended without a bridge; the caller stays with the endpoint (unless the caller hung up).</summary>
public sealed record TransferFailed(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    int SipCode,
    string Reason) : ICallEvent;
