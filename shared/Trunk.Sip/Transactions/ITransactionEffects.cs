namespace Trunk.Sip.Transactions;

/// <summary>
/// What a <see cref="TransactionMachine{TMessage}"/> hands the actions of each transition to: its transaction, itself,
/// instead of a delegate that each of the thousands of lingering transactions would keep (bench/results/b2bua.md).
/// </summary>
internal interface ITransactionEffects<in TMessage> where TMessage : class
{
    void Apply(Transition row, TMessage? message);
}
