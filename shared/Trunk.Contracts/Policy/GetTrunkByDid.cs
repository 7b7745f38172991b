using System;

namespace Trunk.Contracts.Policy;

/// <summary>Request to Policy from Signaling: the trunk of a DID, asked on the first call to it and then cached.</summary>
public sealed record GetTrunkByDid(
    Guid CallId,
    DateTimeOffset At,
    string Did) : ICallMessage;
