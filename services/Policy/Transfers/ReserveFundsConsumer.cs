using Marten;
using MassTransit;
using Trunk.Policy.Accounts;
using Trunk.Policy.Balances;
using Trunk.Policy.Numbers;
using Trunk.Policy.Rates;
using Trunk.Policy.Telemetry;
using Trunk.ServiceDefaults;
using Messages = Trunk.Contracts.Policy;

namespace Trunk.Policy.Transfers;

/// <summary>
/// Answers <see cref="Messages.ReserveFunds"/>: minutes × the target's rate held on the balance, or
/// <see cref="Messages.InsufficientFunds"/>. Idempotent by transfer id: a redelivery answers with the same reservation.
/// A request without a response address (Signaling's at a REFER's 202, the saga's) gets its answer published, where the
/// saga's shard and the subscribers read it (MassTransit's respond publishes when there is no address); one with a
/// response address gets it there, and a new reservation is published for the subscribers as well.
/// </summary>
public sealed partial class ReserveFundsConsumer(
    IQuerySession session,
    BalanceLedger ledger,
    ServiceIdentity identity,
    PolicyTelemetry telemetry,
    TimeProvider time,
    ILogger<ReserveFundsConsumer> logger) : IConsumer<Messages.ReserveFunds>
{
    public async Task Consume(ConsumeContext<Messages.ReserveFunds> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var token = context.CancellationToken;
        using var activity = telemetry.StartReserveFunds(request);
        var digits = Digits.Of(request.TargetNumber);
        var batch = session.CreateBatchQuery();
        var loadAccount = batch.Load<Account>(request.AccountId);
        var loadRates = batch.LoadMany<Rate>().ById(RateBook.Prefixes(digits));
        await batch.Execute(token).ConfigureAwait(false);
        var account = await loadAccount.ConfigureAwait(false);
        var rate = RateBook.LongestMatch(await loadRates.ConfigureAwait(false), digits);
        if (account is null || rate is null)
        {
            LogNoAccountOrRate(request.CallId, request.TransferId, request.AccountId);
            PolicyTelemetry.Answered(activity, 402, "No account or no rate");
            await context.RespondAsync(new Messages.InsufficientFunds(
                request.CallId, time.GetUtcNow(), request.TransferId, request.AccountId, 0m, 0m)).ConfigureAwait(false);
            return;
        }

        var reserve = new Reserve(request.AccountId, request.TransferId, request.CallId, rate.PricePerMinute, request.Minutes);
        var decision = await ledger.DecideAsync(
            request.AccountId,
            request.TransferId,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, reserve, now);
                return (d.Events, d);
            },
            token).ConfigureAwait(false);

        var at = time.GetUtcNow();
        if (!decision.Covered)
        {
            LogRefused(request.CallId, request.TransferId, decision.Amount, decision.Available);
            PolicyTelemetry.Answered(activity, 402, "Insufficient balance");
            await context.RespondAsync(new Messages.InsufficientFunds(
                request.CallId, at, request.TransferId, request.AccountId, decision.Amount, decision.Available)).ConfigureAwait(false);
            return;
        }

        var reserved = new Messages.FundsReserved(request.CallId, at, identity.InstanceId, request.TransferId, request.AccountId, decision.Amount);
        LogReserved(request.CallId, request.TransferId, decision.Amount);
        PolicyTelemetry.Answered(activity, 202, "Reserved");
        await context.RespondAsync(reserved).ConfigureAwait(false);
        if (context.ResponseAddress is not null && decision.Events.Count > 0)
        {
            await context.Publish(reserved, token).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved {Amount} for transfer {TransferId} of call {CallId}")]
    private partial void LogReserved(Guid callId, Guid transferId, decimal amount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Required} for transfer {TransferId} of call {CallId}: {Available} available")]
    private partial void LogRefused(Guid callId, Guid transferId, decimal required, decimal available);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No account {AccountId} or no rate for transfer {TransferId} of call {CallId}")]
    private partial void LogNoAccountOrRate(Guid callId, Guid transferId, Guid accountId);
}
