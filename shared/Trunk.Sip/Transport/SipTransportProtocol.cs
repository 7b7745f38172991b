namespace Trunk.Sip.Transport;

/// <summary>The transports the stack speaks (RFC 3261 §18).</summary>
public enum SipTransportProtocol
{
    Udp,
    Tcp,
}

public static class SipTransportProtocolExtensions
{
    /// <summary>The transport token of a Via header (§20.42).</summary>
    public static string ToViaToken(this SipTransportProtocol protocol) => protocol == SipTransportProtocol.Udp ? "UDP" : "TCP";

    /// <summary>Reliable transports do not need retransmissions (§17.1.1.2, §17.2.1).</summary>
    public static bool IsReliable(this SipTransportProtocol protocol) => protocol != SipTransportProtocol.Udp;
}
