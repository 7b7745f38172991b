using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>
/// The layer above the transport (the transaction layer) receives parsed messages through this
/// interface, so that the transport never depends on it (RFC 3261 §18.1.2, §18.2.1).
/// </summary>
public interface ISipMessageSink
{
    /// <summary>A request whose top Via already carries <c>received</c>/<c>rport</c> (§18.2.1, RFC 3581 §4).</summary>
    void OnRequest(SipRequest request, SipPeer peer);

    /// <summary>A response (§18.1.2).</summary>
    void OnResponse(SipResponse response, SipPeer peer);
}
