using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;

namespace Trunk.Signaling.Events;

/// <summary>
/// What a publish of <see cref="CallEventPublisher"/> sets on its message, one object a publish (in place of a delegate,
/// its closure and MassTransit's pipe around it). One message id for every try: a try the broker stored but whose confirm
/// was lost (the connection dropped) is then the same message as the retry, and consumers that deduplicate by message id
/// store it once. And the publish's span as the trace context consumers continue, in <c>MT-Activity-Id</c>, where
/// MassTransit puts that of its own send span, which Signaling does not start (<see cref="Telemetry.SignalingTelemetry.WithoutSendSpan"/>).
/// </summary>
internal sealed class PublishHeaders(Activity? span) : IPipe<PublishContext>
{
    private readonly Guid _messageId = NewId.NextGuid();

    public Task Send(PublishContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.MessageId = _messageId;
        if (span?.Id is { } traceParent)
        {
            context.Headers.Set(DiagnosticHeaders.ActivityId, traceParent);
        }

        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
    }
}
