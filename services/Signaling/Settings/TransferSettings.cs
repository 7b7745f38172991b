namespace Trunk.Signaling.Settings;

/// <summary>REFER handling (section <c>Transfer</c>).</summary>
public sealed class TransferSettings
{
    public const string Section = "Transfer";

    /// <summary>How long a REFER is held for the saga's AnswerRefer before it gets 503 with Retry-After.</summary>
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the DNS lookup of a Refer-To host name may take (the 403 check for private targets).</summary>
    public TimeSpan TargetResolveTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
