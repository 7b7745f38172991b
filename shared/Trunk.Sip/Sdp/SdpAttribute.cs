namespace Trunk.Sip.Sdp;

/// <summary>
/// An <c>a=</c> line (RFC 4566 §5.13): a property attribute (<c>a=sendonly</c>, <see cref="Value"/> null)
/// or a value attribute (<c>a=rtpmap:0 PCMU/8000</c>). Unknown attributes are kept as they came.
/// </summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
