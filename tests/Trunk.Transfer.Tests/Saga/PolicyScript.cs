using System.Collections.Concurrent;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>How the Policy that a test plays answers each transfer.</summary>
public sealed class PolicyScript
{
    private readonly ConcurrentDictionary<Guid, (PolicyAnswer Check, FundsAnswer Funds)> _answers = new();

    public void For(Guid transferId, PolicyAnswer check, FundsAnswer funds = FundsAnswer.Reserve) => _answers[transferId] = (check, funds);

    public PolicyAnswer Check(Guid transferId) => _answers.TryGetValue(transferId, out var answer) ? answer.Check : PolicyAnswer.Silent;

    public FundsAnswer Funds(Guid transferId) => _answers.TryGetValue(transferId, out var answer) ? answer.Funds : FundsAnswer.Silent;
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
