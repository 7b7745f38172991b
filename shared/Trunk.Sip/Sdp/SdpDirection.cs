namespace Trunk.Sip.Sdp;

/// <summary>
/// Media direction attributes (RFC 4566 §6, RFC 3264 §5.1), always from the point of view of the
/// party that wrote the description. The values are flags: <see cref="SendOnly"/> | <see cref="RecvOnly"/> = <see cref="SendRecv"/>.
/// </summary>
[Flags]
public enum SdpDirection
{
    Inactive = 0,
    SendOnly = 1,
    RecvOnly = 2,
    SendRecv = SendOnly | RecvOnly,
}

public static class SdpDirectionExtensions
{
    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendRecv => "sendrecv",
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        _ => "inactive",
    };

    public static bool CanSend(this SdpDirection direction) => (direction & SdpDirection.SendOnly) != 0;

    public static bool CanReceive(this SdpDirection direction) => (direction & SdpDirection.RecvOnly) != 0;

    /// <summary>The same stream seen from the other party: sendonly becomes recvonly and the reverse (RFC 3264 §6.1).</summary>
    public static SdpDirection Reverse(this SdpDirection direction) =>
        (direction.CanSend() ? SdpDirection.RecvOnly : SdpDirection.Inactive)
        | (direction.CanReceive() ? SdpDirection.SendOnly : SdpDirection.Inactive);

    internal static SdpDirection? FromAttributeName(string name) => name switch
    {
        "sendrecv" => SdpDirection.SendRecv,
        "sendonly" => SdpDirection.SendOnly,
        "recvonly" => SdpDirection.RecvOnly,
        "inactive" => SdpDirection.Inactive,
        _ => null,
    };
}
