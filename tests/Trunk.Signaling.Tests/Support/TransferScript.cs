namespace Trunk.Signaling.Tests.Support;

/// <summary>How the saga double answers a DID's REFERs: the decision (0: never answer), and whether it dials the target.</summary>
internal sealed record TransferScript(int Decision, bool Dial = true, TimeSpan? RingTimeout = null)
{
    public static TransferScript Accept { get; } = new(202);

    public static TransferScript AcceptWithoutDialling { get; } = new(202, Dial: false);

    public static TransferScript Deny { get; } = new(403, Dial: false);

    public static TransferScript Silent { get; } = new(0, Dial: false);
}
