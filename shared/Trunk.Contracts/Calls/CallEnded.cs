using System;

namespace Trunk.Contracts.Calls;

/// <summary>The caller leg ended and with it the call. <see cref="HangupCause"/> is one of the causes documented in the README.</summary>
public sealed record CallEnded(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    TimeSpan Duration,
    string HangupCause,
    int SipCode,
    int? Q850Cause) : ICallEvent;
