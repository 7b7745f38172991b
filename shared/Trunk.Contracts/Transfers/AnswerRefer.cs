using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: answer the held REFER with 202 or with a failure code; <see cref="RetryAfterSeconds"/> becomes a Retry-After header (503 when no policy decision came in time).</summary>
public sealed record AnswerRefer(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    int SipCode,
    string Reason,
    int? RetryAfterSeconds = null) : ICallMessage;
