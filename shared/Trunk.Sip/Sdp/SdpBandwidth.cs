namespace Trunk.Sip.Sdp;

/// <summary>A <c>b=&lt;bwtype&gt;:&lt;bandwidth&gt;</c> line (RFC 4566 §5.8), bandwidth in kilobits per second for CT and AS.</summary>
public sealed record SdpBandwidth(string Type, long Value)
{
    public override string ToString() => $"{Type}:{Value}";
}
