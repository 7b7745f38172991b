using MassTransit;
using Trunk.Contracts.Media;

namespace Trunk.Media.Control;

/// <summary>
/// The shared <c>media</c> queue: any instance takes a call's first <see cref="AllocateMedia"/>; its answer names the
/// instance queue where the call's later commands must go.
/// </summary>
internal sealed class AllocateMediaConsumer(MediaCalls calls, InstanceQueue queue, TimeProvider time) : IConsumer<AllocateMedia>
{
    public Task Consume(ConsumeContext<AllocateMedia> context) => Answer(context, calls, queue, time);

    public static Task Answer(ConsumeContext<AllocateMedia> context, MediaCalls calls, InstanceQueue queue, TimeProvider time)
    {
        var request = context.Message;
        return calls.Allocate(request.CallId, request.Leg, request.RemoteSdp) switch
        {
            AllocationResult.Allocated allocated => context.RespondAsync(
                new MediaAllocated(request.CallId, time.GetUtcNow(), request.Leg, allocated.LocalSdp, queue.Name)),
            AllocationResult.Failed failed => context.RespondAsync(
                new MediaAllocationFailed(request.CallId, time.GetUtcNow(), request.Leg, failed.SipCode, failed.Reason)),
            _ => throw new InvalidOperationException("Unknown allocation result."),
        };
    }
}
