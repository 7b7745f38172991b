using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: answer the held REFER with 202 or with a failure code.</summary>
public sealed record AnswerRefer(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    int SipCode,
    string Reason) : ICallMessage;
