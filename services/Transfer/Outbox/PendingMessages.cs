using System.Diagnostics;
using System.Text.Json;

namespace Trunk.Transfer.Outbox;

/// <summary>
/// What one handling of a message produced: outbox messages, timeouts to schedule and timeouts to cancel. The
/// state machine fills it; the saga repository stores it with the state in one transaction. It lives on the saga
/// instance (not persisted), so every attempt of a retried message starts with an empty one.
/// </summary>
public sealed class PendingMessages
{
    private readonly List<OutboxMessage> _messages = [];
    private DateTimeOffset _lastCreatedAt;
    private readonly List<Scheduling.ScheduledTimeout> _scheduled = [];
    private readonly List<Guid> _cancelled = [];

    public IReadOnlyList<OutboxMessage> Messages => _messages;

    public IReadOnlyList<Scheduling.ScheduledTimeout> Scheduled => _scheduled;

    public IReadOnlyList<Guid> Cancelled => _cancelled;

    /// <summary>
    /// A command to a Signaling instance, through the exchange bound to its queue: a <c>queue:</c> address would declare
    /// the queue again, without the expiry the instance gave it, and RabbitMQ would refuse that. Once a stopped instance's
    /// queue has expired, its commands go nowhere, as its calls are gone.
    /// </summary>
    public void Send<T>(Guid transferId, string queue, T message, DateTimeOffset now)
        where T : class, Contracts.ICallMessage =>
        _messages.Add(Create(transferId, message, Next(now), $"exchange:{queue}", responseAddress: null));

    public void Publish<T>(Guid transferId, T message, DateTimeOffset now)
        where T : class, Contracts.ICallMessage =>
        _messages.Add(Create(transferId, message, Next(now), destination: null, responseAddress: null));

    /// <summary>A request to a service whose queue we don't know: published, answered to <paramref name="responseAddress"/>.</summary>
    public void Request<T>(Guid transferId, T message, DateTimeOffset now, string responseAddress)
        where T : class, Contracts.ICallMessage =>
        _messages.Add(Create(transferId, message, Next(now), destination: null, responseAddress));

    /// <summary>Publishes <paramref name="message"/> at <paramref name="dueAt"/>, unless <see cref="Cancel"/>led by <paramref name="id"/> first.</summary>
    public void Schedule<T>(Guid id, Guid transferId, T message, DateTimeOffset dueAt)
        where T : class, Contracts.ICallMessage
    {
        var scheduled = new Scheduling.ScheduledTimeout
        {
            Id = id,
            CallId = message.CallId,
            TransferId = transferId,
            DueAt = dueAt,
            MessageType = MessageTypeName(typeof(T)),
            Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
            TraceParent = Activity.Current?.Id,
        };
        _scheduled.Add(scheduled);
    }

    public void Cancel(Guid? scheduledId)
    {
        if (scheduledId is { } id)
        {
            _cancelled.Add(id);
        }
    }

    public bool IsEmpty => _messages.Count == 0 && _scheduled.Count == 0 && _cancelled.Count == 0;

    public void Clear()
    {
        _messages.Clear();
        _scheduled.Clear();
        _cancelled.Clear();
    }

    /// <summary>
    /// Creation times strictly increasing a microsecond apart (PostgreSQL's resolution), so the dispatcher, which
    /// sends in creation order, keeps the order the saga produced them in: NOTIFY 200 before the endpoint's BYE.
    /// </summary>
    private DateTimeOffset Next(DateTimeOffset now)
    {
        _lastCreatedAt = now > _lastCreatedAt.AddTicks(TimeSpan.TicksPerMicrosecond) ? now : _lastCreatedAt.AddTicks(TimeSpan.TicksPerMicrosecond);
        return _lastCreatedAt;
    }

    internal static string MessageTypeName(Type type) =>
        $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static OutboxMessage Create<T>(Guid transferId, T message, DateTimeOffset now, string? destination, string? responseAddress)
        where T : class, Contracts.ICallMessage => new()
        {
            Id = MassTransit.NewId.NextGuid(),
            CallId = message.CallId,
            TransferId = transferId,
            CreatedAt = now,
            Destination = destination,
            ResponseAddress = responseAddress,
            MessageType = MessageTypeName(typeof(T)),
            Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
            TraceParent = Activity.Current?.Id,
        };
}
