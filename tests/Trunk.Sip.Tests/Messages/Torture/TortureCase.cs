namespace Trunk.Sip.Tests.Messages.Torture;

/// <summary>The RFC section classes of RFC 4475 §3 (and RFC 5118 §4).</summary>
public enum TortureClass
{
    Valid,
    Invalid,
    Transaction,
    Application,
    BackwardCompatible,
}

/// <summary>
/// One torture message and what the stack must do with it: <see cref="Expected"/> is 0 when the
/// message is accepted (parses, validates, survives serialize → parse), -1 when it is dropped
/// silently, otherwise the status code of the answer. <see cref="WhenForwarding"/> is the answer
/// of an element that forwards requests (proxy, B2BUA), when it differs.
/// </summary>
public sealed record TortureCase(string File, string Section, TortureClass Class, int Expected, int? WhenForwarding = null)
{
    public const int Accepted = 0;
    public const int Dropped = -1;

    public override string ToString() => File;
}
