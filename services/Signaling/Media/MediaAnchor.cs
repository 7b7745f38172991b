using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Settings;

namespace Trunk.Signaling.Media;

/// <summary>
/// The Media service's control for anchored calls (services/Media/README.md): a call's first allocation goes to the
/// shared queue, whose answer names the Media instance that holds the call; every later allocation and command goes to
/// that instance's queue, where they apply in order. Requests wait at most <see cref="MediaControlSettings.RequestTimeout"/>;
/// a Media that does not answer fails the leg with 503 rather than holding the call.
/// </summary>
internal sealed partial class MediaAnchor(IBus bus, IOptions<MediaControlSettings> settings, TimeProvider time, ILogger<MediaAnchor> logger)
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>Anchors the leg: <paramref name="remoteSdp"/> is its offer or its answer to Media's offer; empty asks Media for an offer.</summary>
    public async Task<MediaAnswer> AllocateAsync(Call call, LegSide leg, ReadOnlyMemory<byte> remoteSdp)
    {
        var queue = call.MediaQueue;
        var address = queue is null ? new Uri(settings.Value.AllocationAddress) : InstanceAddress(queue);
        var client = bus.CreateRequestClient<AllocateMedia>(address, RequestTimeout.After(ms: (int)settings.Value.RequestTimeout.TotalMilliseconds));
        try
        {
            var response = await client.GetResponse<MediaAllocated, MediaAllocationFailed>(
                new AllocateMedia(call.Id, time.GetUtcNow(), leg, Encoding.UTF8.GetString(remoteSdp.Span))).ConfigureAwait(false);
            if (response.Is(out Response<MediaAllocated>? allocated))
            {
                lock (call.Gate)
                {
                    call.MediaQueue ??= allocated.Message.Queue;
                    call.MediaLegs.Add(leg);
                }

                return MediaAnswer.Of(allocated.Message.LocalSdp);
            }

            response.Is(out Response<MediaAllocationFailed>? failed);
            LogRefused(call.Id, call.SipCallId, leg, failed!.Message.SipCode, failed.Message.Reason);
            return MediaAnswer.Failed(failed.Message.SipCode, failed.Message.Reason);
        }
        catch (RequestTimeoutException)
        {
            LogNoAnswer(call.Id, call.SipCallId, leg, settings.Value.RequestTimeout.TotalMilliseconds);
            return MediaAnswer.Failed(503, "Media did not answer");
        }
        catch (Exception exception) when (exception is MassTransitException or OperationCanceledException)
        {
            LogUnreachable(exception, call.Id, call.SipCallId, leg);
            return MediaAnswer.Failed(503, "Media unreachable");
        }
    }

    /// <summary>
    /// Hands Media the SDP a leg answered with (a 183's, then the 200's); the same SDP again reuses the allocation
    /// already made, which the answer's relay awaits.
    /// </summary>
    public Task<MediaAnswer> AnchorAnswerAsync(Call call, Leg leg, ReadOnlyMemory<byte> sdp)
    {
        lock (call.Gate)
        {
            if (leg.PendingAnchor is { } pending && leg.AnchoredSdp.Span.SequenceEqual(sdp.Span))
            {
                return pending;
            }

            leg.AnchoredSdp = sdp;
            return leg.PendingAnchor = AllocateAsync(call, leg.Side, sdp);
        }
    }

    /// <summary>
    /// Media's answer to the SDP of a leg's 200: the 200's own SDP, or, when the 200 repeats none, the allocation its
    /// 183 started; 488 when the leg never sent SDP.
    /// </summary>
    public Task<MediaAnswer> AnchorFinalAnswerAsync(Call call, Leg leg, ReadOnlyMemory<byte> sdp) =>
        (sdp.IsEmpty ? leg.PendingAnchor : AnchorAnswerAsync(call, leg, sdp))
        ?? Task.FromResult(MediaAnswer.Failed(488, $"The {leg.Side.ToString().ToLowerInvariant()} answered without SDP"));

    /// <summary>The caller hears its own country's ringback (Media's default country when the number has none).</summary>
    public Task StartRingbackAsync(Call call) =>
        SendAsync(call, new StartRingback(call.Id, time.GetUtcNow(), LegSide.Caller, CountryOf(call.CallerNumber)));

    public Task BridgeAsync(Call call, LegSide from, LegSide to) => SendAsync(call, new BridgeMedia(call.Id, time.GetUtcNow(), from, to));

    /// <summary>Frees the leg's ports, once; nothing when Media holds no ports for it.</summary>
    public Task ReleaseAsync(Call call, LegSide leg)
    {
        lock (call.Gate)
        {
            if (!call.MediaLegs.Remove(leg))
            {
                return Task.CompletedTask;
            }
        }

        return SendAsync(call, new ReleaseMedia(call.Id, time.GetUtcNow(), leg));
    }

    /// <summary>Every leg Media still holds, freed (the call ended).</summary>
    public async Task ReleaseAllAsync(Call call)
    {
        LegSide[] held;
        lock (call.Gate)
        {
            held = [.. call.MediaLegs];
        }

        foreach (var leg in held)
        {
            await ReleaseAsync(call, leg).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Call call, ICallMessage command)
    {
        if (call.MediaQueue is not { } queue)
        {
            return;
        }

        try
        {
            var endpoint = await bus.GetSendEndpoint(InstanceAddress(queue)).ConfigureAwait(false);
            await endpoint.Send(command, command.GetType()).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MassTransitException or OperationCanceledException)
        {
            LogSendFailed(exception, command.GetType().Name, call.Id, call.SipCallId);
        }
    }

    /// <summary>A Media instance's queue goes away with the instance (auto-delete), so the address says so.</summary>
    private static Uri InstanceAddress(string queue) => new($"queue:{queue}?autodelete=true");

    private static string CountryOf(string number)
    {
        try
        {
            return Numbers.GetRegionCodeForNumber(Numbers.Parse(number, null)) ?? string.Empty;
        }
        catch (NumberParseException)
        {
            return string.Empty;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} (SIP Call-ID {SipCallId}): Media refused the {Leg} leg with {Code}: {Reason}")]
    private partial void LogRefused(Guid callId, string sipCallId, LegSide leg, int code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} (SIP Call-ID {SipCallId}): Media did not answer the {Leg} leg's allocation within {TimeoutMs} ms")]
    private partial void LogNoAnswer(Guid callId, string sipCallId, LegSide leg, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId} (SIP Call-ID {SipCallId}): the {Leg} leg's allocation could not reach Media")]
    private partial void LogUnreachable(Exception exception, Guid callId, string sipCallId, LegSide leg);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Command} for call {CallId} (SIP Call-ID {SipCallId}) could not be sent to Media")]
    private partial void LogSendFailed(Exception exception, string command, Guid callId, string sipCallId);
}
