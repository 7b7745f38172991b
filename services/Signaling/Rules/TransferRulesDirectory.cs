using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts.Policy;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Trunks;

namespace Trunk.Signaling.Rules;

/// <summary>
/// Each account's transfer rules as Policy pushed them (<see cref="TransferRulesChanged"/>) or answered them
/// (<see cref="GetTransferRules"/>, asked when a call of the account arrives, so that its REFER finds them), each copy
/// kept for <c>Transfer:RulesLifetime</c>. A REFER whose account has no fresh copy (Policy unreachable, an unknown
/// account, the first call after a restart) goes the saga's way. A copy never replaces a newer one.
/// </summary>
internal sealed partial class TransferRulesDirectory(
    IBus bus,
    IOptions<TransferSettings> settings,
    TimeProvider time,
    ILogger<TransferRulesDirectory> logger)
{
    /// <summary>To <c>Transfer:RulesLookupAddress</c> when set.</summary>
    private readonly IRequestClient<GetTransferRules> _client = PolicyClient.For<GetTransferRules>(bus, settings.Value.RulesLookupAddress);

    private readonly ConcurrentDictionary<Guid, Copy> _byAccount = new();
    private readonly ConcurrentDictionary<Guid, Lazy<Task>> _asking = new();

    /// <summary>The account's rules if a fresh copy is held.</summary>
    public AccountTransferRules? Find(Guid accountId) =>
        _byAccount.TryGetValue(accountId, out var copy) && copy.Until > time.GetUtcNow() ? copy.Rules : null;

    /// <summary>
    /// The account's rules if a fresh copy is held, after the request for them under way (the first REFER of an account
    /// right after its call arrived, or after a restart) has been answered or timed out.
    /// </summary>
    public async ValueTask<AccountTransferRules?> FindAsync(Guid accountId)
    {
        if (Find(accountId) is { } rules)
        {
            return rules;
        }

        if (_asking.TryGetValue(accountId, out var asking))
        {
            // Its failures are logged where they happen, and WhenAny does not rethrow them.
            await Task.WhenAny(asking.Value).ConfigureAwait(false);
        }

        return Find(accountId);
    }

    /// <summary>
    /// Asks Policy for the account's rules in the background unless a copy younger than half its lifetime is held or a
    /// request for them is under way. Never waits and never throws: the call goes on either way.
    /// </summary>
    public void Refresh(Guid callId, Guid accountId)
    {
        var lifetime = settings.Value.RulesLifetime;
        if (_byAccount.TryGetValue(accountId, out var copy) && copy.Until - time.GetUtcNow() > lifetime / 2)
        {
            return;
        }

        var asking = new Lazy<Task>(() => AskPolicyAsync(callId, accountId));
        if (_asking.TryAdd(accountId, asking))
        {
            _ = asking.Value;
        }
    }

    public void Apply(TransferRulesChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Store(change.Rules, change.At);
    }

    private async Task AskPolicyAsync(Guid callId, Guid accountId)
    {
        try
        {
            var response = await _client.GetResponse<TransferRulesFound, TransferRulesNotFound>(
                new GetTransferRules(callId, time.GetUtcNow(), accountId),
                timeout: RequestTimeout.After(ms: (int)settings.Value.RulesLookupTimeout.TotalMilliseconds)).ConfigureAwait(false);
            if (response.Is(out Response<TransferRulesFound>? found))
            {
                Store(found.Message.Rules, found.Message.At);
                LogHeld(callId, accountId);
            }
            else
            {
                LogUnknownAccount(callId, accountId);
            }
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException or MassTransitException)
        {
            LogPolicyUnavailable(exception, callId, accountId);
        }
        finally
        {
            _asking.TryRemove(accountId, out _);
        }
    }

    private void Store(AccountTransferRules rules, DateTimeOffset asOf)
    {
        var copy = new Copy(rules, asOf, time.GetUtcNow() + settings.Value.RulesLifetime);
        _byAccount.AddOrUpdate(rules.AccountId, copy, (_, held) => held.AsOf > asOf ? held with { Until = copy.Until } : copy);
    }

    /// <param name="AsOf">When Policy read the rules: an older answer never replaces a newer push.</param>
    private sealed record Copy(AccountTransferRules Rules, DateTimeOffset AsOf, DateTimeOffset Until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no transfer rules from Policy for account {AccountId}; its REFERs go to the transfer saga")]
    private partial void LogPolicyUnavailable(Exception exception, Guid callId, Guid accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: transfer rules of account {AccountId} held; its REFERs are decided here")]
    private partial void LogHeld(Guid callId, Guid accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: Policy knows no account {AccountId}; its REFERs go to the transfer saga")]
    private partial void LogUnknownAccount(Guid callId, Guid accountId);
}
