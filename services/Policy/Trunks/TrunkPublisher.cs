using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Policy.Trunks;

/// <summary>Tells Signaling (and anyone else) that a trunk changed, after the change is saved.</summary>
public sealed partial class TrunkPublisher(IPublishEndpoint publish, TimeProvider time, ILogger<TrunkPublisher> logger)
{
    public async Task ChangedAsync(InboundTrunk trunk, IReadOnlyList<string> releasedDids, bool removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        LogChanged(trunk.Id, removed, releasedDids.Count);
        await publish.Publish(new TrunkChanged(Guid.Empty, time.GetUtcNow(), trunk.ToSettings(), removed, releasedDids), cancellationToken)
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trunk {TrunkId} changed (removed {Removed}, {ReleasedDids} DIDs released)")]
    private partial void LogChanged(Guid trunkId, bool removed, int releasedDids);
}
