using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: INVITE the transfer target through the carrier gateway with the original caller's number as caller ID.</summary>
public sealed record DialTarget(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    string TargetNumber,
    string CallerNumber,
    string? ReferredBy,
    TimeSpan RingTimeout) : ICallMessage;
