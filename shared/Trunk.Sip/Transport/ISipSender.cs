using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>What the transaction layer needs from the transport: send, and say where we are.</summary>
public interface ISipSender
{
    /// <summary>Sends a request to a resolved destination (§18.1.1).</summary>
    ValueTask SendRequestAsync(SipRequest request, SipDestination destination, CancellationToken cancellationToken = default);

    /// <summary>Sends a response where its top Via says (§18.2.2), over the connection it arrived on when reliable.</summary>
    ValueTask SendResponseAsync(SipResponse response, SipPeer receivedFrom, CancellationToken cancellationToken = default);

    /// <summary>The sent-by (host:port) to put in our Via for a transport, or null when we do not listen on it.</summary>
    string? SentBy(SipTransportProtocol protocol);
}
