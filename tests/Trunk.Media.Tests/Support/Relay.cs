using Trunk.Testing.Rtp;
using Microsoft.Extensions.Logging.Abstractions;
using Trunk.Contracts;
using Trunk.Media.Control;
using Trunk.Media.Relay;

namespace Trunk.Media.Tests.Support;

/// <summary>
/// The relay and its call control in this process, on a port range of its own (test classes run in parallel), with
/// the facts it publishes recorded. Callers and endpoints are <see cref="RtpPeer"/>s on loopback.
/// </summary>
internal sealed class Relay : IDisposable
{
    private static int _nextRange;

    public Relay(Action<MediaSettings>? configure = null)
    {
        var first = 20000 + (Interlocked.Increment(ref _nextRange) % 200 * 40);
        Settings = new MediaSettings { PortMin = first, PortMax = first + 39, ReceiveLoops = 2, NoAudioSeconds = 1, MediaTimeoutSeconds = 30 };
        configure?.Invoke(Settings);
        Engine = new RelayEngine(Settings, Events, TimeProvider.System, NullLogger<RelayEngine>.Instance, "media-test");
        Calls = new MediaCalls(Engine, Settings, NullLogger<MediaCalls>.Instance);
    }

    public MediaSettings Settings { get; }

    public RecordingSink Events { get; } = new();

    public RelayEngine Engine { get; }

    public MediaCalls Calls { get; }

    /// <summary>Anchors a leg with the peer's SDP and returns Media's SDP, failing the test on a refusal.</summary>
    public string Anchor(Guid call, LegSide side, string? remoteSdp)
    {
        var result = Calls.Allocate(call, side, remoteSdp);
        return Assert.IsType<AllocationResult.Allocated>(result).LocalSdp;
    }

    /// <summary>A caller (offer) and an endpoint (Media offers, the endpoint answers), as a first call sets up.</summary>
    public (System.Net.IPEndPoint CallerSendsTo, System.Net.IPEndPoint EndpointSendsTo) Connect(
        Guid call, RtpPeer caller, string callerOffer, RtpPeer endpoint, Func<int, string> endpointAnswer)
    {
        var callerAnswer = Anchor(call, LegSide.Caller, callerOffer);
        var endpointOffer = Anchor(call, LegSide.Endpoint, null);
        Anchor(call, LegSide.Endpoint, endpointAnswer(endpoint.Port));
        return (Sdp.MediaAddress(callerAnswer), Sdp.MediaAddress(endpointOffer));
    }

    public void Dispose() => Engine.Dispose();
}
