using System;
using System.Collections.Generic;

namespace Trunk.Contracts.Calls;

/// <summary>A batch of SIP messages of one call, in and out, flushed about once a second and at the end of the call.</summary>
public sealed record SipMessagesTraced(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    IReadOnlyList<TracedSipMessage> Messages) : ICallEvent;
