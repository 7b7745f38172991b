namespace Trunk.Transfer.Scheduling;

/// <summary>A timeout the saga asked for, due at <see cref="DueAt"/>; <see cref="TimeoutScheduler"/> moves it to the outbox when due.</summary>
public sealed class ScheduledTimeout
{
    public Guid Id { get; set; }

    public Guid CallId { get; set; }

    public Guid TransferId { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>The W3C trace context of the handling that scheduled it, passed on to the timeout message.</summary>
    public string? TraceParent { get; set; }
}
