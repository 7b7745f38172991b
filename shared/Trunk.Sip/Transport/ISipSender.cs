using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>What the transaction layer needs from the transport: serialise, send, and say where we are.</summary>
public interface ISipSender
{
    /// <summary>A request in its wire form for a resolved destination (§18.1.1); <see cref="InvalidOperationException"/> when too large.</summary>
    SipPacket PrepareRequest(SipRequest request, SipDestination destination);

    /// <summary>
    /// A response in its wire form, addressed where its top Via says (§18.2.2), over the connection the request arrived
    /// on when reliable; <see cref="InvalidOperationException"/> when too large.
    /// </summary>
    SipPacket PrepareResponse(SipResponse response, SipPeer receivedFrom);

    /// <summary>Sends a prepared message; socket and stream failures are thrown.</summary>
    ValueTask SendAsync(SipPacket packet, CancellationToken cancellationToken = default);

    /// <summary>The sent-by (host:port) to put in our Via for a transport, or null when we do not listen on it.</summary>
    string? SentBy(SipTransportProtocol protocol);
}
