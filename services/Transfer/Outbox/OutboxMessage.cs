using Marten;

namespace Trunk.Transfer.Outbox;

/// <summary>
/// A message the saga produced, stored in the same Marten transaction as the saga's state and dispatched by
/// <see cref="OutboxDispatcher"/> after the commit. <see cref="Id"/> is the bus message id, so a message sent twice
/// (the dispatcher stopped between the send and the delete) is recognised by idempotent consumers.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public Guid CallId { get; set; }

    public Guid TransferId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Where a command or due timeout is sent (<c>queue:</c> or <c>exchange:</c> address); null for a published event or request.</summary>
    public string? Destination { get; set; }

    /// <summary>Where a request's response goes (the saga's own queue); null for events and commands.</summary>
    public string? ResponseAddress { get; set; }

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>Set by earlier versions, which kept sent rows; the dispatcher deletes such rows when it starts.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The W3C trace context of the handling that produced it: dispatched later, it still joins its call's trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The outbox's table, as Marten names it in the store's schema.</summary>
    public static string Table(IReadOnlyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FindOrResolveDocumentType(typeof(OutboxMessage)).TableName.QualifiedName;
    }

    /// <summary>
    /// Adds <paramref name="messages"/> to the session's commit as one multi-row insert (the rows Marten would write, with
    /// its serializer: read back as documents), not a statement per row.
    /// </summary>
    public static void QueueInsert(IDocumentSession session, IReadOnlyList<OutboxMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var options = session.DocumentStore.Options;
        var serializer = options.Serializer();
        session.QueueSqlCommand(
            $"insert into {Table(options)} (id, data, mt_dotnet_type) "
            + "select id, data, ? from unnest(?::uuid[], ?::jsonb[]) as rows (id, data)",
            typeof(OutboxMessage).FullName!,
            messages.Select(message => message.Id).ToArray(),
            messages.Select(message => serializer.ToJson(message)).ToArray());
    }
}
