using JasperFx.Events;
using Marten.Events.Aggregation;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Media;
using Trunk.Contracts.Transfers;

namespace Trunk.CallHistory.CallSummaries;

/// <summary>
/// Folds a call's stream into its <see cref="CallSummary"/>: the writer (Recording.CallEventBatch) applies
/// <see cref="Fold"/> to each batch's events in the append's transaction, the daemon's hangup analysis applies it to its
/// own copy, and Marten applies it through <see cref="Evolve"/> when a stream is aggregated live. Every step reads the
/// time from the event, not from its place in the stream, so events that arrive out of order give the same summary.
/// </summary>
public sealed class CallSummaryProjection : SingleStreamProjection<CallSummary, Guid>
{
    /// <summary>
    /// The events that change a summary (the cases of <see cref="Change"/>). The others (SIP trace batches, funds,
    /// media bridging) are neither loaded nor applied: a batch of them loads and rewrites no summary.
    /// </summary>
    public static IReadOnlyList<Type> FoldedTypes { get; } =
    [
        typeof(CallReceived), typeof(EndpointDialled), typeof(CallAnswered), typeof(LegHungUp), typeof(CallEnded),
        typeof(ReferReceived), typeof(ReferRejected), typeof(TransferAccepted), typeof(TransferPolicyDenied),
        typeof(TargetDialled), typeof(TargetRinging), typeof(TargetAnswered), typeof(TargetFailed), typeof(CallBridged),
        typeof(TransferCompleted), typeof(TransferFailed), typeof(MediaStats), typeof(NoAudioDetected),
    ];

    public CallSummaryProjection()
    {
        foreach (var type in FoldedTypes)
        {
            IncludeType(type);
        }
    }

    public override CallSummary Evolve(CallSummary? snapshot, Guid id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Fold(snapshot ?? new CallSummary { Id = id }, e.Data);
    }

    public static CallSummary Fold(CallSummary call, object data)
    {
        ArgumentNullException.ThrowIfNull(call);
        var folded = Change(call, data);
        return folded with { HangupCause = HangupCauses.OfCall(folded)?.Code };
    }

    private static CallSummary Change(CallSummary call, object data) =>
        data switch
        {
            CallReceived e => call with
            {
                SipCallId = e.SipCallId,
                CallerNumber = e.CallerNumber,
                Did = e.Did,
                TrunkId = e.TrunkId,
                AccountId = e.AccountId,
                SourceAddress = e.SourceAddress,
                StartedAt = e.At,
                Legs = AddLeg(call.Legs, new LegSummary(LegSide.Caller, e.SipCallId, e.Did, e.At, 1)),
            },
            EndpointDialled e => call with
            {
                Legs = AddLeg(call.Legs, new LegSummary(LegSide.Endpoint, e.SipCallId, e.TerminationUri, e.At, e.Attempt)),
            },
            CallAnswered e => call with { AnsweredAt = e.At, PostDialDelay = e.PostDialDelay, TerminationUri = e.TerminationUri },
            LegHungUp e => HangUp(call, e),
            CallEnded e => call with
            {
                EndedAt = e.At,
                Duration = e.Duration,
                SignalingCause = e.HangupCause,
                SipCode = e.SipCode,
                Q850Cause = e.Q850Cause ?? call.Q850Cause,
            },
            ReferReceived e => Transfer(call, e.TransferId, t => t with { TargetNumber = e.TargetNumber, ReferredAt = e.At }),
            ReferRejected e => call with { ReferRejections = [.. call.ReferRejections, new ReferRejection(e.At, e.SipCode, e.Reason)] },
            TransferAccepted e => Transfer(call, e.TransferId, t => t with { AcceptedAt = e.At }),
            TransferPolicyDenied e => Transfer(call, e.TransferId, t => t with
            {
                Outcome = TransferOutcome.Denied, EndedAt = e.At, SipCode = e.SipCode, Reason = e.Reason,
            }),
            TargetDialled e => Transfer(call, e.TransferId, t => t with { TargetNumber = e.TargetNumber }) with
            {
                Legs = AddLeg(call.Legs, new LegSummary(LegSide.Target, e.SipCallId, e.TargetNumber, e.At, 1)),
            },
            TargetRinging e => Transfer(call, e.TransferId, t => t with { RingingAt = t.RingingAt ?? e.At }),
            TargetAnswered e => Transfer(call, e.TransferId, t => t with { AnsweredAt = e.At }),
            TargetFailed e => Transfer(call, e.TransferId, t => t with { SipCode = e.SipCode, Reason = e.Reason }),
            CallBridged e => Transfer(call, e.TransferId, t => t with { BridgedAt = e.At }),
            TransferCompleted e => Transfer(call, e.TransferId, t => t with
            {
                Outcome = TransferOutcome.Completed, EndedAt = e.At, ReferToBridge = e.ReferToBridge, SipCode = t.SipCode ?? 200,
            }),
            TransferFailed e => Transfer(call, e.TransferId, t => t with
            {
                Outcome = TransferOutcome.Failed, EndedAt = e.At, SipCode = e.SipCode, Reason = e.Reason,
            }),
            MediaStats e => call with
            {
                Media = [.. call.Media.Where(m => m.Leg != e.Leg), new LegMedia(
                    e.Leg, e.Packets, e.PacketsLost, e.JitterMilliseconds, e.LastPacketAt,
                    call.Media.FirstOrDefault(m => m.Leg == e.Leg)?.NoAudioFor)],
            },
            NoAudioDetected e => call with
            {
                Media = [.. call.Media.Where(m => m.Leg != e.Leg),
                    (call.Media.FirstOrDefault(m => m.Leg == e.Leg) ?? new LegMedia(e.Leg, 0, 0, 0, null)) with { NoAudioFor = e.Silence }],
            },
            _ => call,
        };

    private static CallSummary HangUp(CallSummary call, LegHungUp e)
    {
        var legs = call.Legs.ToList();
        var index = legs.FindLastIndex(l => l.Leg == e.Leg && l.EndedAt is null);
        var leg = index >= 0 ? legs[index] : new LegSummary(e.Leg, null, null, e.At, 1);
        leg = leg with { EndedAt = e.At, HungUpBy = e.HungUpBy, SipCode = e.SipCode, Reason = e.Reason };
        if (index >= 0)
        {
            legs[index] = leg;
        }
        else
        {
            legs.Add(leg);
        }

        var updated = call with { Legs = [.. legs.OrderBy(l => l.StartedAt)] };
        return e.Leg == LegSide.Caller
            ? updated with { HungUpBy = e.HungUpBy, Q850Cause = Q850.FromReason(e.Reason) ?? call.Q850Cause }
            : updated;
    }

    private static CallSummary Transfer(CallSummary call, Guid transferId, Func<TransferSummary, TransferSummary> change)
    {
        var existing = call.Transfers.FirstOrDefault(t => t.TransferId == transferId);
        var changed = change(existing ?? new TransferSummary(transferId, null, null));
        changed = changed with { FailureCause = HangupCauses.OfTransfer(changed)?.Code };
        return call with
        {
            Transfers = [.. call.Transfers.Where(t => t.TransferId != transferId).Append(changed).OrderBy(t => t.ReferredAt ?? t.AcceptedAt)],
        };
    }

    /// <summary>Adds a leg; a hang-up of that side that arrived before it (a leg known only by its end) becomes its end.</summary>
    private static IReadOnlyList<LegSummary> AddLeg(IReadOnlyList<LegSummary> legs, LegSummary leg)
    {
        var endedEarly = legs.FirstOrDefault(l => l.Leg == leg.Leg && l.SipCallId is null);
        if (endedEarly is not null)
        {
            leg = leg with { EndedAt = endedEarly.EndedAt, HungUpBy = endedEarly.HungUpBy, SipCode = endedEarly.SipCode, Reason = endedEarly.Reason };
        }

        return [.. legs.Where(l => l != endedEarly && !(l.Leg == leg.Leg && l.SipCallId == leg.SipCallId && l.Attempt == leg.Attempt))
            .Append(leg).OrderBy(l => l.StartedAt)];
    }
}
