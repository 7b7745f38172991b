using Trunk.ServiceDefaults;

namespace Trunk.Media.Relay;

/// <summary>Starts the relay with the host (its threads and counters); the container disposes it, releasing every leg, when the host ends.</summary>
internal sealed class RelayHost(RelayEngine engine, ServiceIdentity identity) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = identity.Meter;
        meter.CreateObservableCounter("media.rtp.unexpected_sources", () => engine.UnexpectedSources, description: "RTP packets dropped because they came from an address other than the leg's peer");
        meter.CreateObservableCounter("media.rtp.malformed", () => engine.MalformedPackets, description: "Datagrams on an RTP port that were not well-formed RTP");
        meter.CreateObservableCounter("media.rtp.send_failures", () => engine.SendFailures, description: "Packets the kernel refused to send");
        meter.CreateObservableCounter("media.allocation_failures", () => engine.AllocationFailures, description: "Leg allocations refused because no port pair was free");
        meter.CreateObservableGauge("media.ports_in_use", () => engine.PortsInUse, description: "RTP and RTCP ports held by anchored legs");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
