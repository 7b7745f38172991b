using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>Where a message came from (or goes to): the transport, the remote end and our local listen point.</summary>
public readonly record struct SipPeer(SipTransportProtocol Protocol, IPEndPoint Remote, IPEndPoint Local)
{
    public override string ToString() => $"{Protocol.ToViaToken()} {Remote} -> {Local}";
}
