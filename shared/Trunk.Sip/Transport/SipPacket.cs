using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>
/// A message in its wire form with its next hop and the listen point to send from (null: any of the transport's):
/// serialised once, sent as often as retransmissions need, and all that a finished transaction keeps of a message.
/// </summary>
public sealed record SipPacket(ReadOnlyMemory<byte> Bytes, SipDestination Destination, IPEndPoint? Local);
