using System.Diagnostics;
using System.Diagnostics.Metrics;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Relay;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.Media.Telemetry;

/// <summary>
/// Media's metrics, counted from the facts the relay reports on their way to the bus: each released leg's RTP packets
/// received and lost (<see cref="MediaStats"/>, RFC 3550 A.3), and each silent bridged leg (<see cref="NoAudioDetected"/>).
/// Also the <c>media bridge</c> span.
/// </summary>
internal sealed class MediaTelemetry(IMediaEventSink next, ServiceIdentity identity) : IMediaEventSink
{
    private static readonly KeyValuePair<string, object?> Received = new("direction", "received");

    private readonly Counter<long> _packets = identity.Meter.CreateCounter(TrunkMetrics.RtpPackets);
    private readonly Counter<long> _lost = identity.Meter.CreateCounter(TrunkMetrics.RtpPacketsLost);
    private readonly Counter<long> _noAudio = identity.Meter.CreateCounter(TrunkMetrics.NoAudio);

    public void Publish(ICallEvent callEvent, ActivityContext trace)
    {
        switch (callEvent)
        {
            case MediaStats stats:
                _packets.Add(stats.Packets, Received);
                _lost.Add(Math.Max(0, stats.PacketsLost));
                break;
            case NoAudioDetected:
                _noAudio.Add(1);
                break;
        }

        next.Publish(callEvent, trace);
    }

    /// <summary>A span for bridging two legs, under the consume span of the saga's command (so in the call's trace).</summary>
    public static Activity? StartBridge(ServiceIdentity identity, BridgeMedia command)
    {
        var activity = identity.ActivitySource.StartActivity("media bridge");
        activity?.SetTag("trunk.call_id", command.CallId);
        activity?.SetTag("media.from", command.From.ToString());
        activity?.SetTag("media.to", command.To.ToString());
        return activity;
    }
}
