using Trunk.Sip.Messages;

namespace Trunk.Signaling.Sip;

/// <summary>What the trunk implements, as Allow and Supported say it (RFC 3261 §20.5, §20.37; RFC 4488; RFC 3891).</summary>
internal static class SipCapabilities
{
    public const string Allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REFER, NOTIFY";

    public const string Supported = "norefersub, replaces";

    public static SipHeader AllowHeader { get; } = new(SipHeaderNames.Allow, Allow);

    public static SipHeader SupportedHeader { get; } = new(SipHeaderNames.Supported, Supported);
}
