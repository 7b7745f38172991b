using Marten;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;

namespace Trunk.Policy.Transfers;

/// <summary>
/// Pushes an account's transfer rules to Signaling after a change is saved (<see cref="TransferRulesChanged"/>), so that
/// Signaling decides REFERs from a fresh copy. The rate book is every account's: a change to it pushes every account's
/// rules. A push lost to a broker outage is made good by Signaling's own refresh (<c>Transfer:RulesLifetime</c>).
/// </summary>
public sealed partial class TransferRulesPublisher(
    IQuerySession session, IPublishEndpoint publish, TimeProvider time, ILogger<TransferRulesPublisher> logger)
{
    public async Task AccountChangedAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var rates = await session.Query<Rate>().ToListAsync(cancellationToken).ConfigureAwait(false);
        await PublishAsync(account.TransferRules(rates), cancellationToken).ConfigureAwait(false);
    }

    public async Task RatesChangedAsync(CancellationToken cancellationToken)
    {
        var batch = session.CreateBatchQuery();
        var accounts = batch.Query<Account>().ToList();
        var rates = batch.Query<Rate>().ToList();
        await batch.Execute(cancellationToken).ConfigureAwait(false);
        var book = await rates.ConfigureAwait(false);
        foreach (var account in await accounts.ConfigureAwait(false))
        {
            await PublishAsync(account.TransferRules(book), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(AccountTransferRules rules, CancellationToken cancellationToken)
    {
        LogChanged(rules.AccountId, rules.AllowedCountries.Count, rules.PremiumAllowed, rules.Rates.Count);
        await publish.Publish(new TransferRulesChanged(Guid.Empty, time.GetUtcNow(), rules), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Transfer rules of account {AccountId} pushed ({Countries} countries besides home, premium {Premium}, {Rates} rated prefixes)")]
    private partial void LogChanged(Guid accountId, int countries, bool premium, int rates);
}
