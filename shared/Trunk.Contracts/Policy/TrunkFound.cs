using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="GetTrunkByDid"/>.</summary>
public sealed record TrunkFound(
    Guid CallId,
    DateTimeOffset At,
    TrunkSettings Trunk) : ICallMessage;
