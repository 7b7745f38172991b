using System.Collections.Frozen;

namespace Trunk.Sip.Messages;

/// <summary>What the receiving element supports; the validator answers anything else with the RFC code.</summary>
public sealed record SipValidationOptions
{
    public static SipValidationOptions Default { get; } = new();

    /// <summary>Request-URI schemes handled (else 416, RFC 3261 §8.2.2.1).</summary>
    public IReadOnlySet<string> UriSchemes { get; init; } = new[] { "sip", "sips", "tel" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Methods implemented (else 501 with Allow, §8.2.1; methods are case-sensitive).</summary>
    public IReadOnlySet<string> Methods { get; init; } = SipMethod.All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Option tags understood in Require (else 420 with Unsupported, §8.2.2.3).</summary>
    public IReadOnlySet<string> Extensions { get; init; } =
        new[] { "replaces", "norefersub", "timer", "100rel" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Body types accepted (else 415 with Accept, §8.2.3).</summary>
    public IReadOnlySet<string> ContentTypes { get; init; } =
        new[] { "application/sdp", "message/sipfrag", "multipart/mixed", "text/plain", "application/dtmf-relay" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Body type the element answers an INVITE with; an Accept that excludes it gets 406 (§21.4.7).</summary>
    public string InviteAnswerType { get; init; } = "application/sdp";

    /// <summary>True when the element forwards requests (proxy or B2BUA leg): Max-Forwards 0 gets 483 (§16.3).</summary>
    public bool ForwardsRequests { get; init; }
}
