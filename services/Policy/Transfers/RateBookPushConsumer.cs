using Marten;
using MassTransit;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;

namespace Trunk.Policy.Transfers;

/// <summary>The rate book changed at <paramref name="RequestedAt"/>: every account's transfer rules are to be pushed again.</summary>
public sealed record PushRateBook(DateTimeOffset RequestedAt);

/// <summary>When the last push of every account's rules started; a change requested before it is already in that push.</summary>
public sealed class RateBookPushes
{
    public DateTimeOffset LastStartedAt { get; set; } = DateTimeOffset.MinValue;
}

/// <summary>
/// Pushes every account's transfer rules after the rate book changed, a page of accounts at a time, outside the HTTP
/// request that changed it (with many accounts that request would otherwise publish them all before it answered). One
/// push at a time per instance; a change requested before the last push started is already in it and is skipped, so a
/// burst of rate edits costs one or two pushes, not one per edit. Each push is stamped with the time it read the book,
/// so that Signaling never lets a push of an older book replace a newer one, whichever Policy instance sent it.
/// </summary>
public sealed partial class RateBookPushConsumer(
    IQuerySession session,
    TransferRulesPublisher rules,
    RateBookPushes pushes,
    TimeProvider time,
    ILogger<RateBookPushConsumer> logger) : IConsumer<PushRateBook>
{
    public const string Queue = "policy-push-rate-book";

    public const int PageSize = 500;

    public async Task Consume(ConsumeContext<PushRateBook> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        if (context.Message.RequestedAt < pushes.LastStartedAt)
        {
            LogAlreadyPushed(context.Message.RequestedAt, pushes.LastStartedAt);
            return;
        }

        var startedAt = time.GetUtcNow();
        pushes.LastStartedAt = startedAt;
        var book = await session.Query<Rate>().ToListAsync(token).ConfigureAwait(false);
        var pushed = 0;
        while (true)
        {
            var page = await session.Query<Account>().OrderBy(a => a.Id).Skip(pushed).Take(PageSize).ToListAsync(token).ConfigureAwait(false);
            foreach (var account in page)
            {
                await rules.PublishAsync(account.TransferRules(book), startedAt, token).ConfigureAwait(false);
            }

            pushed += page.Count;
            if (page.Count < PageSize)
            {
                break;
            }
        }

        LogPushed(pushed, book.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate book of {Rates} prefixes pushed with the transfer rules of {Accounts} accounts")]
    private partial void LogPushed(int accounts, int rates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rate change of {RequestedAt} already in the push started {StartedAt}")]
    private partial void LogAlreadyPushed(DateTimeOffset requestedAt, DateTimeOffset startedAt);
}
