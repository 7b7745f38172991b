using System;
using System.Collections.Generic;

namespace Trunk.Contracts.Policy;

/// <summary>What Signaling needs of a trunk to route its calls; owned by Policy.</summary>
public sealed record TrunkSettings(
    Guid TrunkId,
    Guid AccountId,
    string Domain,
    IReadOnlyList<string> Dids,
    IReadOnlyList<string> TerminationUris,
    string CarrierGateway,
    TimeSpan RingTimeout,
    MediaMode Media,
    int CallsPerSecond,
    bool SipTraceEnabled);
