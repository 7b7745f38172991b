namespace Trunk.Policy.Balances;

/// <summary>
/// A settled transfer: what it was charged. Written with the <see cref="CallCharged"/> it records, in the same
/// commit, one small document per transfer, so that the account's <see cref="Balance"/> stays the size of its open
/// reservations however many transfers it has settled (a balance that remembered each one grew by every transfer, and
/// every reservation and charge read and rewrote all of it). The ledger shows it to the decider as the balance's
/// <see cref="Balance.Charges"/> entry for that transfer.
/// </summary>
public sealed record Settlement(Guid Id, Guid AccountId, decimal Charged);
