namespace Trunk.Contracts;

/// <summary>The legs of a call (ARCHITECTURE.md, Words).</summary>
public enum LegSide
{
    /// <summary>A: the inbound call from the carrier side.</summary>
    Caller,

    /// <summary>B: our INVITE to the customer's termination URI.</summary>
    Endpoint,

    /// <summary>C: our INVITE to the transfer target through the carrier gateway.</summary>
    Target,
}
