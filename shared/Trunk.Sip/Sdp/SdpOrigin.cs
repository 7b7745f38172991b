namespace Trunk.Sip.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 4566 §5.2). <see cref="SessionVersion"/> is what RFC 3264 §8 asks to
/// increment on every changed offer or answer; <see cref="SessionId"/> is opaque and kept as text.
/// </summary>
public sealed record SdpOrigin(
    string Username,
    string SessionId,
    ulong SessionVersion,
    string NetworkType,
    string AddressType,
    string Address)
{
    /// <summary>An origin for a new session held by <paramref name="address"/> (RFC 4566 §5.2: "-" when there is no user id).</summary>
    public static SdpOrigin Create(string sessionId, ulong sessionVersion, System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var connection = SdpConnection.For(address);
        return new SdpOrigin("-", sessionId, sessionVersion, connection.NetworkType, connection.AddressType, connection.Address);
    }

    public SdpOrigin WithNextVersion() => this with { SessionVersion = SessionVersion + 1 };

    public override string ToString() =>
        $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
