using System;

namespace Trunk.Contracts.Calls;

/// <summary>The endpoint answered and the caller received the 200 OK.</summary>
public sealed record CallAnswered(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    string TerminationUri,
    TimeSpan PostDialDelay) : ICallEvent;
