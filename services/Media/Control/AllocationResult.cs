namespace Trunk.Media.Control;

/// <summary>The outcome of anchoring a leg: the SDP to give it, or the SIP status Signaling should answer with.</summary>
internal abstract record AllocationResult
{
    private AllocationResult()
    {
    }

    public sealed record Allocated(string LocalSdp) : AllocationResult;

    public sealed record Failed(int SipCode, string Reason) : AllocationResult;
}
