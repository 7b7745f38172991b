namespace Trunk.Signaling.Settings;

/// <summary>REFER handling (section <c>Transfer</c>).</summary>
public sealed class TransferSettings
{
    public const string Section = "Transfer";

    /// <summary>How long a REFER is held for the saga's AnswerRefer before it gets 503 with Retry-After.</summary>
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the DNS lookup of a Refer-To host name may take (the 403 check for private targets).</summary>
    public TimeSpan TargetResolveTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a copy of an account's transfer rules decides REFERs without news from Policy (Policy pushes every change).</summary>
    public TimeSpan RulesLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where Signaling asks for an account's transfer rules (e.g. <c>queue:policy-get-transfer-rules</c>); unset: published to whichever Policy consumes it.</summary>
    public string? RulesLookupAddress { get; set; }

    /// <summary>
    /// Minutes of the target's rate Signaling asks Policy to reserve right after a REFER it answered 202 from the
    /// account's rules (the saga's own <c>Transfer:ReservedMinutes</c>, the same key, when the saga asks).
    /// </summary>
    public int ReservedMinutes { get; set; } = 10;

    /// <summary>How long Signaling waits for Policy's answer when it asks for an account's transfer rules.</summary>
    public TimeSpan RulesLookupTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
