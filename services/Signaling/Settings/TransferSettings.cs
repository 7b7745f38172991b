namespace Trunk.Signaling.Settings;

/// <summary>REFER handling (section <c>Transfer</c>).</summary>
public sealed class TransferSettings
{
    public const string Section = "Transfer";

    /// <summary>How long a REFER is held for the saga's AnswerRefer before it gets 503 with Retry-After.</summary>
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
