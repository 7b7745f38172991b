using System;

namespace Trunk.Contracts.Policy;

/// <summary>
/// Policy changed an account's transfer rules (the account, a geo permission, the rate book); every Signaling instance
/// replaces its copy. Not about one call, so <see cref="CallId"/> is <see cref="Guid.Empty"/>.
/// </summary>
public sealed record TransferRulesChanged(
    Guid CallId,
    DateTimeOffset At,
    AccountTransferRules Rules) : ICallMessage;
