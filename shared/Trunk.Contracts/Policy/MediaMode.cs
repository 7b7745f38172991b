namespace Trunk.Contracts.Policy;

/// <summary>How a trunk's media flows: anchored through the Media service, or SDP passed through unchanged.</summary>
public enum MediaMode
{
    Anchored,
    Passthrough,
}
