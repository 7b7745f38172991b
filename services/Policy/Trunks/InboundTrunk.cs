using Trunk.Contracts.Policy;

namespace Trunk.Policy.Trunks;

/// <summary>An account's inbound trunk: its SIP domain, DIDs (E.164), termination URIs in order of preference and options.</summary>
public sealed record InboundTrunk(
    Guid Id,
    Guid AccountId,
    string Domain,
    IReadOnlyList<string> Dids,
    IReadOnlyList<string> TerminationUris,
    string CarrierGateway,
    TimeSpan RingTimeout,
    MediaMode Media,
    int CallsPerSecond,
    bool SipTraceEnabled)
{
    /// <summary>The domain a trunk gets when none is given: <c>&lt;id&gt;.trunk.example</c>.</summary>
    public static string DefaultDomain(Guid id) => $"{id:N}.trunk.example";

    public TrunkSettings ToSettings() =>
        new(Id, AccountId, Domain, Dids, TerminationUris, CarrierGateway, RingTimeout, Media, CallsPerSecond, SipTraceEnabled);
}

/// <summary>Which trunk owns a DID; the id is the E.164 number, so a number can belong to one trunk only.</summary>
public sealed record DidAssignment(string Id, Guid TrunkId);
