namespace Trunk.Sip.Messages;

/// <summary>One <c>;name[=value]</c> parameter; the value is kept as written (quotes included).</summary>
public readonly record struct SipParameter(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
