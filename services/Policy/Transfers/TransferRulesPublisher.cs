using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;

namespace Trunk.Policy.Transfers;

/// <summary>
/// Pushes an account's transfer rules to Signaling after a change is saved (<see cref="TransferRulesChanged"/>), so that
/// Signaling decides REFERs from a fresh copy. The rate book is every account's: a change to it asks
/// <see cref="RateBookPushConsumer"/> to push every account's rules in the background. A push lost to a broker outage is
/// made good by Signaling's own refresh (<c>Transfer:RulesLifetime</c>).
/// </summary>
public sealed partial class TransferRulesPublisher(
    IQuerySession session,
    IPublishEndpoint publish,
    ISendEndpointProvider send,
    IOptions<PolicySettings> settings,
    TimeProvider time,
    ILogger<TransferRulesPublisher> logger)
{
    public async Task AccountChangedAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = time.GetUtcNow();
        var rates = await session.Query<Rate>().ToListAsync(cancellationToken).ConfigureAwait(false);
        await PublishAsync(account.TransferRules(rates), now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for every account's rules to be pushed with the changed rate book; returns once the request is with the broker.</summary>
    public async Task RatesChangedAsync(CancellationToken cancellationToken)
    {
        var address = PolicyExtensions.OwnQueueAddress(settings.Value.QueuePrefix, RateBookPushConsumer.Queue);
        var endpoint = await send.GetSendEndpoint(address).ConfigureAwait(false);
        await endpoint.Send(new PushRateBook(time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes <paramref name="rules"/> as of <paramref name="asOf"/>, the time they were read.</summary>
    public async Task PublishAsync(AccountTransferRules rules, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        LogChanged(rules.AccountId, rules.AllowedCountries.Count, rules.PremiumAllowed, rules.Rates.Count);
        await publish.Publish(new TransferRulesChanged(Guid.Empty, asOf, rules), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Transfer rules of account {AccountId} pushed ({Countries} countries besides home, premium {Premium}, {Rates} rated prefixes)")]
    private partial void LogChanged(Guid accountId, int countries, bool premium, int rates);
}
