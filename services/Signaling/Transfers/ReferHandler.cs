using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Numbering;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Rules;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Sip;
using Trunk.Signaling.Telemetry;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Transfers;

/// <summary>
/// The endpoint's REFER (RFC 3515): the checks answered at once; then, when Policy's rules for the account are held
/// (<see cref="TransferRulesDirectory"/>), the decision too, with <see cref="ReferReceived"/> published with it for the
/// saga to go on from; else <see cref="ReferReceived"/> published and the REFER held for the saga's
/// <see cref="AnswerRefer"/>, 503 with Retry-After when it does not come in time.
/// </summary>
internal sealed partial class ReferHandler(
    SipEndpoint sip,
    CallEventPublisher events,
    CommandQueue queue,
    ServiceIdentity identity,
    SignalingTelemetry telemetry,
    TargetHostResolver targets,
    TransferRulesDirectory rules,
    IOptions<TransferSettings> settings,
    TimeProvider time,
    ILogger<ReferHandler> logger)
{
    public const int RetryAfterSeconds = 5;
    private static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromSeconds(60);

    public async Task HandleAsync(Call call, IncomingRequest request)
    {
        var refer = request.Request;
        var arrived = time.GetTimestamp();
        if (ReferCheck.Evaluate(refer, call.Trunk.Domain, transferRunning: false) is { Passed: true } named
            && await targets.ResolvesInsideAsync(named.Host).ConfigureAwait(false))
        {
            Reject(call, request, arrived, 403, "Refer-To resolves to a private address", transferId: null);
            return;
        }

        Transfer? transfer = null;
        ReferVerdict verdict;
        lock (call.Gate)
        {
            verdict = ReferCheck.Evaluate(refer, call.Trunk.Domain, call.Transfer is { Finished: false });
            if (verdict.Passed)
            {
                var notify = refer.GetReferSub() is not { Subscribe: false };
                transfer = new Transfer(Guid.NewGuid(), request, verdict.TargetNumber, refer.Headers.GetFirst(SipHeaderNames.ReferredBy), notify);
                call.Transfer = transfer;
            }
        }

        if (transfer is null)
        {
            Reject(call, request, arrived, verdict.StatusCode, verdict.Reason, transferId: null);
            return;
        }

        var decision = await DecideAsync(call, transfer).ConfigureAwait(false);
        LogReferReceived(call.Id, refer.CallId ?? string.Empty, refer.CSeq?.Number ?? 0, transfer.TargetNumber, transfer.Id,
            decision is null ? "the transfer saga" : "the account's rules");
        var published = events.Publish(new ReferReceived(call.Id, time.GetUtcNow(), identity.InstanceId, transfer.Id, queue.Name,
            call.Trunk.AccountId, call.Trunk.TrunkId, call.CallerNumber, transfer.TargetNumber, verdict.Host, transfer.ReferredBy,
            (uint)(refer.CSeq?.Number ?? 0), transfer.NotifyRequested, decision));
        if (published && decision is { FundsRequested: true })
        {
            // Behind the ReferReceived on the call's lane: confirmed after it, so Policy's answer reaches the saga's
            // shard after it too.
            events.Publish(new ReserveFunds(call.Id, time.GetUtcNow(), transfer.Id, call.Trunk.AccountId, transfer.TargetNumber,
                settings.Value.ReservedMinutes));
        }

        try
        {
            if (decision is null)
            {
                await AnswerAsync(call, request, arrived, transfer).ConfigureAwait(false);
            }
            else
            {
                Answer(call, request, arrived, transfer, decision.SipCode, decision.Reason);
            }
        }
        finally
        {
            transfer.Answered.TrySetResult();
        }
    }

    /// <summary>
    /// The decision from the account's rules Policy pushed (the same rules Policy decides by), or null when none are held.
    /// A 202 asks for the funds at once (<see cref="ReferDecision.FundsRequested"/>): the saga would ask the same a bus
    /// hop later, and the target is dialled only once Policy answers.
    /// </summary>
    private async ValueTask<ReferDecision?> DecideAsync(Call call, Transfer transfer)
    {
        if (await rules.FindAsync(call.Trunk.AccountId).ConfigureAwait(false) is not { } accountRules)
        {
            return null;
        }

        var verdict = TransferPermissions.Decide(accountRules, transfer.TargetNumber);
        return verdict.Allowed
            ? new ReferDecision(202, "Accepted", call.Trunk.RingTimeout, FundsRequested: true)
            : new ReferDecision(verdict.SipCode, verdict.Reason, call.Trunk.RingTimeout);
    }

    /// <summary>Waits for the saga's decision and answers the REFER with it (503 with Retry-After when none comes in time).</summary>
    private async Task AnswerAsync(Call call, IncomingRequest request, long arrived, Transfer transfer)
    {
        AnswerRefer decision;
        try
        {
            decision = await transfer.Decision.Task.WaitAsync(settings.Value.DecisionTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Finish(call, transfer);
            Reject(call, request, arrived, 503, "No transfer decision in time", transfer.Id,
                new SipHeader(SipHeaderNames.RetryAfter, RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        Answer(call, request, arrived, transfer, decision.SipCode, decision.Reason);
    }

    private void Answer(Call call, IncomingRequest request, long arrived, Transfer transfer, int code, string reason)
    {
        if (code != 202)
        {
            Finish(call, transfer);
            LogDecision(call.Id, request.Request.CallId ?? string.Empty, transfer.Id, code);
            telemetry.ReferAnswered(code, reason, time.GetElapsedTime(arrived));
            sip.Respond(call, LegSide.Endpoint, request, code, string.IsNullOrWhiteSpace(reason) ? null : reason);
            return;
        }

        Accept(call, request, arrived, transfer);
    }

    private void Accept(Call call, IncomingRequest request, long arrived, Transfer transfer)
    {
        lock (call.Gate)
        {
            transfer.Accepted = true;
            if (transfer.NotifyRequested && call.Endpoint?.Dialog is { } dialog)
            {
                transfer.Subscription = new ReferSubscription(dialog, request.Request, SubscriptionExpiry);
            }
        }

        LogDecision(call.Id, request.Request.CallId ?? string.Empty, transfer.Id, 202);
        var response = request.CreateResponse(202);
        if (!transfer.NotifyRequested)
        {
            // RFC 4488 §4: we honour the request not to create the implicit subscription.
            response = response.WithHeaders(response.Headers.Add(SipHeaderNames.ReferSub, "false"));
        }

        sip.Respond(call, LegSide.Endpoint, request, response);
        telemetry.ReferAnswered(202, "Accepted", time.GetElapsedTime(arrived));
    }

    private static void Finish(Call call, Transfer transfer)
    {
        lock (call.Gate)
        {
            transfer.Finished = true;
        }
    }

    /// <param name="transferId">The transfer the saga was asked about, when it was: the saga stops it.</param>
    private void Reject(Call call, IncomingRequest request, long arrived, int code, string reason, Guid? transferId, params SipHeader[] headers)
    {
        telemetry.ReferAnswered(code, reason, time.GetElapsedTime(arrived));
        LogRejected(call.Id, request.Request.CallId ?? string.Empty, request.Request.CSeq?.Number ?? 0, code, reason);
        sip.Respond(call, LegSide.Endpoint, request, code, null, default, null, headers);
        events.Publish(new ReferRejected(call.Id, time.GetUtcNow(), identity.InstanceId, code, reason, transferId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: REFER (SIP Call-ID {SipCallId}, CSeq {CSeq}) to {Target} is transfer {TransferId}, decided by {DecidedBy}")]
    private partial void LogReferReceived(Guid callId, string sipCallId, long cSeq, string target, Guid transferId, string decidedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: REFER (SIP Call-ID {SipCallId}, CSeq {CSeq}) rejected {Code}: {Reason}")]
    private partial void LogRejected(Guid callId, string sipCallId, long cSeq, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: REFER (SIP Call-ID {SipCallId}) of transfer {TransferId} answered {Code}")]
    private partial void LogDecision(Guid callId, string sipCallId, Guid transferId, int code);
}
