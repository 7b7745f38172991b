using Marten;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Transfers;

/// <summary>Answers <see cref="CheckTransfer"/> with <see cref="TransferAllowed"/> or <see cref="TransferDenied"/>; reads only, so a redelivery answers the same.</summary>
public sealed partial class CheckTransferConsumer(IQuerySession session, TimeProvider time, ILogger<CheckTransferConsumer> logger)
    : IConsumer<CheckTransfer>
{
    public async Task Consume(ConsumeContext<CheckTransfer> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var token = context.CancellationToken;
        var account = await session.LoadAsync<Account>(request.AccountId, token).ConfigureAwait(false);
        var trunk = await session.LoadAsync<InboundTrunk>(request.TrunkId, token).ConfigureAwait(false);
        var rate = await RateBook.FindAsync(session, Digits.Of(request.TargetNumber), token).ConfigureAwait(false);
        var verdict = TransferRules.Decide(account, trunk, request.TargetNumber, request.ReferToHost, rate is null ? [] : [rate]);
        var now = time.GetUtcNow();
        if (verdict.Allowed)
        {
            LogAllowed(request.CallId, request.TransferId, verdict.Target!.CountryCode, verdict.PricePerMinute);
            await context.RespondAsync(new TransferAllowed(
                request.CallId, now, request.TransferId, verdict.Target.CountryCode, verdict.PricePerMinute)).ConfigureAwait(false);
            return;
        }

        LogDenied(request.CallId, request.TransferId, verdict.SipCode, verdict.Reason);
        await context.RespondAsync(new TransferDenied(request.CallId, now, request.TransferId, verdict.SipCode, verdict.Reason))
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer {TransferId} of call {CallId} allowed to {Country} at {PricePerMinute}/min")]
    private partial void LogAllowed(Guid callId, Guid transferId, string country, decimal pricePerMinute);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer {TransferId} of call {CallId} denied {SipCode}: {Reason}")]
    private partial void LogDenied(Guid callId, Guid transferId, int sipCode, string reason);
}

/// <summary>The digits of a dialled string, for prefix look-ups.</summary>
public static class Digits
{
    public static string Of(string? number) => number is null ? "" : string.Concat(number.Where(char.IsAsciiDigit));
}
