using MassTransit;
using Microsoft.Extensions.Logging;
using Trunk.Contracts.Media;
using Trunk.Media.Telemetry;
using Trunk.ServiceDefaults;

namespace Trunk.Media.Control;

/// <summary>
/// The instance queue: a call's later allocations (the endpoint's answer, the target's offer and answer), ringback,
/// bridge and release, one at a time so that they apply in the order they were sent.
/// </summary>
internal sealed partial class MediaCommandConsumer(
    MediaCalls calls,
    InstanceQueue queue,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<MediaCommandConsumer> logger)
    : IConsumer<AllocateMedia>, IConsumer<StartRingback>, IConsumer<BridgeMedia>, IConsumer<ReleaseMedia>
{
    public Task Consume(ConsumeContext<AllocateMedia> context) => AllocateMediaConsumer.Answer(context, calls, queue, time);

    public Task Consume(ConsumeContext<StartRingback> context)
    {
        var command = context.Message;
        if (!calls.StartRingback(command.CallId, command.Leg, command.CountryCode))
        {
            LogUnknownLeg(logger, nameof(StartRingback), command.CallId, command.Leg);
        }

        return Task.CompletedTask;
    }

    public async Task Consume(ConsumeContext<BridgeMedia> context)
    {
        var command = context.Message;
        using var activity = MediaTelemetry.StartBridge(identity, command);
        if (calls.Bridge(command.CallId, command.From, command.To) is not { } transcoding)
        {
            LogUnknownLeg(logger, nameof(BridgeMedia), command.CallId, command.To);
            return;
        }

        await context.Publish(new MediaBridged(command.CallId, time.GetUtcNow(), identity.InstanceId, command.From, command.To,
            transcoding.Length == 0 ? null : transcoding)).ConfigureAwait(false);
    }

    public Task Consume(ConsumeContext<ReleaseMedia> context)
    {
        calls.Release(context.Message.CallId, context.Message.Leg);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for call {CallId} leg {Leg} ignored: the leg is not anchored and negotiated here")]
    private static partial void LogUnknownLeg(ILogger logger, string command, Guid callId, Contracts.LegSide leg);
}
