namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// How the saga double answers a DID's REFERs: the decision (0: never answer), whether it dials the target, and a final
/// NOTIFY code it sends instead of dialling (402 for a balance that cannot cover the transfer).
/// </summary>
internal sealed record TransferScript(int Decision, bool Dial = true, TimeSpan? RingTimeout = null, int? NotifyInstead = null)
{
    public static TransferScript Accept { get; } = new(202);

    public static TransferScript AcceptWithoutDialling { get; } = new(202, Dial: false);

    public static TransferScript Deny { get; } = new(403, Dial: false);

    public static TransferScript Silent { get; } = new(0, Dial: false);
}
