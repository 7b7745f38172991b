using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="GetTrunkByDid"/> for a DID no trunk owns (the INVITE gets 404).</summary>
public sealed record TrunkNotFound(
    Guid CallId,
    DateTimeOffset At,
    string Did) : ICallMessage;
