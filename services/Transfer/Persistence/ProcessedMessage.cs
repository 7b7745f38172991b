namespace Trunk.Transfer.Persistence;

/// <summary>
/// The inbox: one row per bus message id that changed a saga, inserted in the same transaction as the change, so a
/// redelivered message is recognised and skipped (and a concurrent duplicate loses on the primary key).
/// </summary>
public sealed class ProcessedMessage
{
    public Guid Id { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
