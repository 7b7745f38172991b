namespace Trunk.CallHistory.Recording;

/// <summary>
/// The bus message that put an event in a call's stream, keyed by its MassTransit MessageId and written in the same
/// transaction as the event: a redelivered message finds it (or collides with it) and is stored once.
/// </summary>
public sealed record RecordedMessage(Guid Id, Guid CallId, string EventType, DateTimeOffset RecordedAt);
