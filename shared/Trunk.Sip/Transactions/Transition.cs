namespace Trunk.Sip.Transactions;

/// <summary>One row of a state × event table.</summary>
public readonly record struct Transition(
    TransactionState From,
    TransactionEvent On,
    TransactionState To,
    TransactionAction Actions);
