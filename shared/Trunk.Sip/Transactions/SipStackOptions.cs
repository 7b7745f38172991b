using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Transactions;

/// <summary>Settings of a <see cref="SipStack"/>: its transport and its timers.</summary>
public sealed record SipStackOptions
{
    public SipTransportOptions Transport { get; init; } = new();

    public SipTimers Timers { get; init; } = new();

    /// <summary>The UAS checks of RFC 3261 §8.2 run before a handler sees a request (400, 415, 416, 420, 501…).</summary>
    public SipValidationOptions Validation { get; init; } = SipValidationOptions.Default;

    /// <summary>The user part of our Contact (§8.1.1.8, §12.1.1).</summary>
    public string ContactUser { get; init; } = "trunk";

    /// <summary>The Server / User-Agent value, or null for none (§20.35, §20.41).</summary>
    public string? UserAgent { get; init; } = "Trunk.Sip";
}
