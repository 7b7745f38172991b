namespace Trunk.Sip.Transport;

/// <summary>One datagram, or one message cut from a stream, with where it came from.</summary>
public sealed record ReceivedFrame(byte[] Data, SipPeer Peer);
