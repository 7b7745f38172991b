namespace Trunk.Signaling.Settings;

/// <summary>Where the B2BUA listens and how much traffic it takes (section <c>Sip</c>).</summary>
public sealed class SipSettings
{
    public const string Section = "Sip";

    /// <summary>The address both UDP and TCP listen on; <c>0.0.0.0</c> listens on every interface.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 5060;

    /// <summary>
    /// The address peers reach us at (a NAT's public address, or a name), put in Via, Contact, and the host of our From and
    /// P-Asserted-Identity; empty uses the listen address, or the first non-loopback interface address when that is 0.0.0.0.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The port peers reach us at when a NAT maps <see cref="Port"/> to another; empty uses <see cref="Port"/>.</summary>
    public int? AdvertisedPort { get; set; }

    /// <summary>New INVITEs per second one source address may send before getting 503.</summary>
    public int CallsPerSecondPerSource { get; set; } = 100;

    /// <summary>Ceiling of new INVITEs per second per trunk; the trunk's own (lower) figure from Policy wins.</summary>
    public int CallsPerSecondPerTrunk { get; set; } = 200;

    /// <summary>How long a termination URI may stay silent (not even 100 Trying) before the next one is tried.</summary>
    public TimeSpan EndpointResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where GetTrunkByDid goes, e.g. <c>queue:policy-get-trunk-by-did</c>; empty publishes it to whoever consumes it.
    /// Read once at start.
    /// </summary>
    public string? TrunkLookupAddress { get; set; }

    /// <summary>
    /// How long a stopping instance lets its calls go on while it answers new INVITEs and OPTIONS 503; the calls
    /// still up then get BYE. 0 ends them at once. The host's shutdown timeout grows by it: the orchestrator's grace
    /// period (Kubernetes' terminationGracePeriodSeconds, compose's stop_grace_period) must exceed it by 10 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the answer to GetTrunkByDid may take before the INVITE gets 503.</summary>
    public TimeSpan TrunkLookupTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
