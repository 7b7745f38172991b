using Marten;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;

namespace Trunk.Policy.Transfers;

/// <summary>Answers Signaling's <see cref="GetTransferRules"/> with the account's rules and the whole rate book, or <see cref="TransferRulesNotFound"/>.</summary>
public sealed class GetTransferRulesConsumer(IQuerySession session, TimeProvider time) : IConsumer<GetTransferRules>
{
    public async Task Consume(ConsumeContext<GetTransferRules> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var batch = session.CreateBatchQuery();
        var account = batch.Load<Account>(request.AccountId);
        var rates = batch.Query<Rate>().ToList();
        await batch.Execute(context.CancellationToken).ConfigureAwait(false);
        if (await account.ConfigureAwait(false) is { } found)
        {
            await context.RespondAsync(new TransferRulesFound(request.CallId, time.GetUtcNow(), found.TransferRules(await rates.ConfigureAwait(false))))
                .ConfigureAwait(false);
            return;
        }

        await context.RespondAsync(new TransferRulesNotFound(request.CallId, time.GetUtcNow(), request.AccountId)).ConfigureAwait(false);
    }
}
