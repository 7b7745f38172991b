using System;

namespace Trunk.Contracts.Calls;

/// <summary>Signaling sent the INVITE of the endpoint leg (B) to one of the trunk's termination URIs; <see cref="Attempt"/> counts fail-overs from 1.</summary>
public sealed record EndpointDialled(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    string TerminationUri,
    int Attempt,
    string SipCallId) : ICallEvent;
