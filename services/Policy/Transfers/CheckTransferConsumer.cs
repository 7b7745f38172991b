using Marten;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Numbers;
using Trunk.Policy.Rates;
using Trunk.Policy.Telemetry;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Transfers;

/// <summary>Answers <see cref="CheckTransfer"/> with <see cref="TransferAllowed"/> or <see cref="TransferDenied"/>; reads only, so a redelivery answers the same.</summary>
public sealed partial class CheckTransferConsumer(
    IQuerySession session, PolicyTelemetry telemetry, TimeProvider time, ILogger<CheckTransferConsumer> logger)
    : IConsumer<CheckTransfer>
{
    public async Task Consume(ConsumeContext<CheckTransfer> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var token = context.CancellationToken;
        using var activity = telemetry.StartCheckTransfer(request);
        // One database round trip for account, trunk and candidate rates: this sits on the REFER → 202 path.
        var batch = session.CreateBatchQuery();
        var account = batch.Load<Account>(request.AccountId);
        var trunk = batch.Load<InboundTrunk>(request.TrunkId);
        var rates = batch.LoadMany<Rate>().ById(RateBook.Prefixes(Digits.Of(request.TargetNumber)));
        await batch.Execute(token).ConfigureAwait(false);
        var inboundTrunk = await trunk.ConfigureAwait(false);
        var verdict = TransferRules.Decide(
            await account.ConfigureAwait(false), inboundTrunk, request.TargetNumber, request.ReferToHost, await rates.ConfigureAwait(false));
        var now = time.GetUtcNow();
        if (verdict.Allowed)
        {
            LogAllowed(request.CallId, request.TransferId, verdict.Target!.CountryCode, verdict.PricePerMinute);
            PolicyTelemetry.Answered(activity, 202, "Allowed");
            await context.RespondAsync(new TransferAllowed(
                request.CallId, now, request.TransferId, verdict.Target.CountryCode, verdict.PricePerMinute,
                inboundTrunk!.RingTimeout)).ConfigureAwait(false);
            return;
        }

        LogDenied(request.CallId, request.TransferId, verdict.SipCode, verdict.Reason);
        PolicyTelemetry.Answered(activity, verdict.SipCode, verdict.Reason);
        await context.RespondAsync(new TransferDenied(request.CallId, now, request.TransferId, verdict.SipCode, verdict.Reason))
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer {TransferId} of call {CallId} allowed to {Country} at {PricePerMinute}/min")]
    private partial void LogAllowed(Guid callId, Guid transferId, string country, decimal pricePerMinute);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer {TransferId} of call {CallId} denied {SipCode}: {Reason}")]
    private partial void LogDenied(Guid callId, Guid transferId, int sipCode, string reason);
}
