using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Trunks;

/// <summary>What the trunk directory knows of a DID: its trunk, that no trunk owns it, or that Policy did not answer.</summary>
internal sealed record TrunkLookup(TrunkSettings? Trunk, bool Unavailable)
{
    public static TrunkLookup NotFound { get; } = new(null, false);

    public static TrunkLookup PolicyUnavailable { get; } = new(null, true);
}
