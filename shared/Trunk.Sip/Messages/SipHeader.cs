namespace Trunk.Sip.Messages;

/// <summary>One header field as received: canonical name and the raw value (unfolded, trimmed).</summary>
public readonly record struct SipHeader(string Name, string Value)
{
    public override string ToString() => $"{Name}: {Value}";
}
