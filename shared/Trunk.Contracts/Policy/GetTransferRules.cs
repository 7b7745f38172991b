using System;

namespace Trunk.Contracts.Policy;

/// <summary>Request to Policy from Signaling: an account's transfer rules, asked when a call of the account arrives and then cached.</summary>
public sealed record GetTransferRules(
    Guid CallId,
    DateTimeOffset At,
    Guid AccountId) : ICallMessage;
