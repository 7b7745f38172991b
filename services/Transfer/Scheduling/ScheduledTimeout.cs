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
}
