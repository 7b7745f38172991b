using System.Collections.Concurrent;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>How the Policy that a test plays answers each transfer.</summary>
public sealed class PolicyScript
{
    private readonly ConcurrentDictionary<Guid, (PolicyAnswer Check, FundsAnswer Funds, TimeSpan RingTimeout)> _answers = new();
    private readonly ConcurrentDictionary<Guid, int> _reservations = new();

    /// <summary>How Policy answers the transfer; <paramref name="trunkRingTimeout"/> is the trunk's ring timeout its TransferAllowed carries.</summary>
    public void For(Guid transferId, PolicyAnswer check, FundsAnswer funds = FundsAnswer.Reserve, TimeSpan? trunkRingTimeout = null) =>
        _answers[transferId] = (check, funds, trunkRingTimeout ?? TransferHost.RingTimeout);

    public PolicyAnswer Check(Guid transferId) => _answers.TryGetValue(transferId, out var answer) ? answer.Check : PolicyAnswer.Silent;

    public TimeSpan RingTimeout(Guid transferId) => _answers.TryGetValue(transferId, out var answer) ? answer.RingTimeout : TransferHost.RingTimeout;

    /// <summary>How Policy answers a ReserveFunds of the transfer; each one asked is counted.</summary>
    public FundsAnswer Funds(Guid transferId)
    {
        _reservations.AddOrUpdate(transferId, 1, (_, count) => count + 1);
        return _answers.TryGetValue(transferId, out var answer) ? answer.Funds : FundsAnswer.Silent;
    }

    /// <summary>How many ReserveFunds of the transfer Policy received.</summary>
    public int Reservations(Guid transferId) => _reservations.GetValueOrDefault(transferId);
}

public enum PolicyAnswer
{
    Silent,
    Allow,
    Deny,
}

public enum FundsAnswer
{
    Silent,
    Reserve,
    Insufficient,
}
