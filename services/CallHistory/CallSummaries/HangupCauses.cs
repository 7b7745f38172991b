using Trunk.Contracts;

namespace Trunk.CallHistory.CallSummaries;

/// <summary>
/// One documented reason a call or a transfer ended (README, "Hangup causes"): its code, what it means, and the SIP
/// final response and Q.850 cause that carry it (RFC 3398 maps the two; RFC 3326 puts the Q.850 cause in a Reason
/// header). <see cref="SipCode"/> 200 stands for a BYE.
/// </summary>
public sealed record HangupCause(string Code, string Meaning, int SipCode, int Q850Cause);

/// <summary>The table of hangup causes, and how a call's or a transfer's end is classified into one of them.</summary>
public static class HangupCauses
{
    public static readonly HangupCause NormalClearing = new("normal_clearing", "the call ended normally; which side hung up is not known", 200, 16);
    public static readonly HangupCause CallerHangup = new("caller_hangup", "the caller hung up (BYE on the caller leg)", 200, 16);
    public static readonly HangupCause CallerCancelled = new("caller_cancelled", "the caller hung up before anyone answered (CANCEL)", 487, 16);
    public static readonly HangupCause EndpointHangup = new("endpoint_hangup", "the endpoint (PBX, softphone, agent) hung up", 200, 16);
    public static readonly HangupCause TargetHangup = new("target_hangup", "the transfer target hung up after the bridge", 200, 16);
    public static readonly HangupCause CommandedHangup = new("commanded_hangup", "a service ended the call (the endpoint leg after a transfer, an operator, the transfer's maximum duration)", 200, 16);
    public static readonly HangupCause ServiceStopping = new("service_stopping", "the Signaling instance holding the call stopped (a deployment, a scale-in) and ended it", 200, 41);
    public static readonly HangupCause Busy = new("busy", "the called party was busy (486, 600)", 486, 17);
    public static readonly HangupCause NoAnswer = new("no_answer", "the called party rang but did not answer before the timeout (CANCEL, then 480)", 480, 19);
    public static readonly HangupCause Declined = new("declined", "the called party declined the call (603)", 603, 21);
    public static readonly HangupCause UnallocatedNumber = new("unallocated_number", "the number does not exist (404, 484, 604)", 404, 1);
    public static readonly HangupCause GeoPermissionDenied = new("geo_permission_denied", "the account may not call the target's country", 403, 21);
    public static readonly HangupCause TransferDenied = new("transfer_denied", "policy refused the transfer for another reason (premium number, no rate, bad target)", 403, 21);
    public static readonly HangupCause InsufficientBalance = new("insufficient_balance", "the account's balance cannot pay for the transfer leg", 402, 21);
    public static readonly HangupCause TransferFailed = new("transfer_failed", "the caller was released after a transfer failed and the endpoint had already left", 480, 18);
    public static readonly HangupCause EndpointUnreachable = new("endpoint_unreachable", "no termination URI answered the INVITE (timeouts; the caller hears 480)", 480, 18);
    public static readonly HangupCause EndpointRejected = new("endpoint_rejected", "the endpoint answered the INVITE with another failure", 500, 41);
    public static readonly HangupCause TargetUnreachable = new("target_unreachable", "the carrier gateway failed or did not answer the target INVITE (5xx)", 503, 41);
    public static readonly HangupCause MediaUnavailable = new("media_unavailable", "the Media service could not anchor the call: no free ports or no answer (503), or no common G.711 codec (488)", 503, 41);
    public static readonly HangupCause NoAudio = new("no_audio", "a bridged leg received no RTP and the call was ended", 200, 41);
    public static readonly HangupCause Unknown = new("unknown", "a cause no row above describes", 500, 127);

    public static IReadOnlyList<HangupCause> All { get; } =
    [
        NormalClearing, CallerHangup, CallerCancelled, EndpointHangup, TargetHangup, CommandedHangup, ServiceStopping, Busy, NoAnswer, Declined,
        UnallocatedNumber, GeoPermissionDenied, TransferDenied, InsufficientBalance, TransferFailed, EndpointUnreachable,
        EndpointRejected, TargetUnreachable, MediaUnavailable, NoAudio, Unknown,
    ];

    private static readonly Dictionary<string, HangupCause> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    public static HangupCause? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var cause) ? cause : null;

    /// <summary>The Q.850 cause of a SIP final response, RFC 3398 §8.2.6.1 (200, a BYE, is normal clearing).</summary>
    public static int Q850ForSip(int sipCode) => sipCode switch
    {
        >= 200 and < 300 => 16,
        401 or 402 or 403 or 407 or 603 => 21,
        404 or 485 or 604 => 1,
        405 => 63,
        406 or 415 or 501 => 79,
        408 or 504 => 102,
        410 => 22,
        480 => 18,
        482 or 483 => 25,
        484 => 28,
        486 or 600 => 17,
        502 => 38,
        580 => 47,
        606 => 58,
        400 or 481 or 500 or 503 => 41,
        _ => 127,
    };

    /// <summary>The cause a failure response stands for, whoever sent it; null for a code with no row of its own.</summary>
    public static HangupCause? FromFailure(int sipCode) => sipCode switch
    {
        486 or 600 => Busy,
        480 or 408 => NoAnswer,
        603 => Declined,
        404 or 484 or 604 => UnallocatedNumber,
        402 => InsufficientBalance,
        487 => CallerCancelled,
        _ => null,
    };

    /// <summary>
    /// Why a call ended: Signaling's cause (refined by the SIP code when the endpoint rejected the call), then what
    /// the other events tell: a leg that lost its audio, or a failed transfer after the endpoint had left. Null while
    /// the call goes on.
    /// </summary>
    public static HangupCause? OfCall(CallSummary call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.EndedAt is null)
        {
            return null;
        }

        var signaled = Find(call.SignalingCause);
        if (call.Media.Any(m => m.NoAudioFor is not null) && (signaled is null || signaled == CommandedHangup))
        {
            return NoAudio;
        }

        if (LastTransferFailedAlone(call))
        {
            return TransferFailed;
        }

        return signaled switch
        {
            null => call.SipCode is { } code and not 200 ? FromFailure(code) ?? Unknown : NormalClearing,
            _ when signaled == EndpointRejected && call.SipCode is { } code => FromFailure(code) ?? EndpointRejected,
            _ => signaled,
        };
    }

    /// <summary>Why a transfer did not end in a bridge; null while it runs or when it completed.</summary>
    public static HangupCause? OfTransfer(TransferSummary transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return transfer.Outcome switch
        {
            TransferOutcome.Denied when transfer.SipCode == 402 => InsufficientBalance,
            TransferOutcome.Denied when transfer.Reason?.Contains("geo permission", StringComparison.OrdinalIgnoreCase) == true => GeoPermissionDenied,
            TransferOutcome.Denied => TransferDenied,
            TransferOutcome.Failed when transfer.SipCode is { } code => FromFailure(code) ?? (code >= 500 ? TargetUnreachable : TransferFailed),
            TransferOutcome.Failed => TransferFailed,
            _ => null,
        };
    }

    /// <summary>The last transfer failed after the endpoint's leg had ended: nobody was left for the caller.</summary>
    private static bool LastTransferFailedAlone(CallSummary call)
    {
        var last = call.Transfers.Count > 0 ? call.Transfers[^1] : null;
        if (last is not { Outcome: TransferOutcome.Failed, EndedAt: { } failedAt } || last.SipCode == 487)
        {
            return false;
        }

        var endpoint = call.Legs.LastOrDefault(l => l.Leg == LegSide.Endpoint);
        return endpoint?.EndedAt is { } endpointEnded && endpointEnded <= failedAt;
    }
}
