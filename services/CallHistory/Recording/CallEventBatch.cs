using Marten;
using Npgsql;
using NpgsqlTypes;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// One transaction of <see cref="CallEventWriter"/>: a batch of consumed messages appended to their calls' streams, and
/// the calls' <see cref="CallSummary"/> documents folded forward, in a fixed number of statements whatever the batch's
/// size (two round trips): Marten's own append (<c>mt_quick_append_events</c>, one call per stream) and inline
/// projection (one upsert per document) cost PostgreSQL a statement each per call and batch. The rows are Marten's:
/// its readers, the async daemon and the live projections see these events as their own (<see cref="CallEventRows"/>).
/// </summary>
internal static class CallEventBatch
{
    /// <summary>Header of each stored event: the MassTransit MessageId that carried it.</summary>
    public const string MessageIdHeader = "message-id";

    /// <summary>Header of each stored event: the publisher's W3C trace context.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>
    /// Appends every message of <paramref name="batch"/> not stored before, each call's in the batch's order, in one
    /// transaction with the calls' summaries; returns the ones it stored. Each event's id is its message's MessageId
    /// (unique in the store): a redelivered message finds its event and is stored once.
    /// </summary>
    public static async Task<IReadOnlySet<PendingCallEvent>> CommitAsync(IDocumentStore store, IReadOnlyList<PendingCallEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batch);
        var sql = CallEventSql.For(store.Options.Events.DatabaseSchemaName, store.Options.DatabaseSchemaName);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);

        var calls = batch.Select(p => p.CallId).Distinct().ToArray();
        var summarised = batch.Where(p => CallEventRows.IsFolded(p.Event)).Select(p => p.CallId).Distinct().ToArray();
        var found = await ReadAsync(connection, sql, store.Options.Serializer(), calls, summarised, batch).ConfigureAwait(false);

        // A session only to name each event as Marten does (its type's name and .NET name): it opens no connection.
        await using var naming = store.LightweightSession();
        var rows = new CallEventRows(store, naming.Events, found.Versions, found.Summaries);
        var stored = new HashSet<PendingCallEvent>();
        foreach (var pending in batch)
        {
            if (found.Seen.Add(pending.MessageId))
            {
                rows.Add(pending);
                stored.Add(pending);
            }
        }

        if (stored.Count > 0)
        {
            await WriteAsync(connection, sql, rows).ConfigureAwait(false);
        }

        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// The first round trip: transaction locks on the calls' ids, taken in one order by every writer of every instance,
    /// so that no two transactions append to one call at once and a redelivery waits for its first delivery's commit
    /// before it looks for it; then, under those locks, the message ids already stored, the streams' versions and the
    /// summaries of the calls whose events change one.
    /// </summary>
    private static async Task<Found> ReadAsync(
        NpgsqlConnection connection, CallEventSql sql, ISerializer serializer, Guid[] calls, Guid[] summarised, IReadOnlyList<PendingCallEvent> batch)
    {
        var keys = calls.Select(LockKey).Distinct().Order().ToArray();
        var messageIds = batch.Select(p => p.MessageId).Distinct().ToArray();
        await using var read = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(CallEventSql.Lock, Array(NpgsqlDbType.Bigint, keys)),
                Command(sql.Seen, Array(NpgsqlDbType.Uuid, messageIds)),
                Command(sql.Versions, Array(NpgsqlDbType.Uuid, calls)),
                Command(sql.Summaries, Array(NpgsqlDbType.Uuid, summarised)),
            },
        };

        var found = new Found();
        await using var reader = await read.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            found.Seen.Add(reader.GetGuid(0));
        }

        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            found.Versions[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            found.Summaries[reader.GetGuid(0)] = serializer.FromJson<CallSummary>(reader, 1);
        }

        return found;
    }

    /// <summary>The second round trip: every stream's new version, every event, every changed summary, the daemon's wake-up.</summary>
    private static async Task WriteAsync(NpgsqlConnection connection, CallEventSql sql, CallEventRows rows)
    {
        await using var write = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    sql.UpsertStreams,
                    Array(NpgsqlDbType.Uuid, rows.Streams.Keys.ToArray()),
                    Array(NpgsqlDbType.Bigint, rows.Streams.Values.ToArray())),
                Command(
                    sql.InsertEvents,
                    Array(NpgsqlDbType.Uuid, rows.EventIds),
                    Array(NpgsqlDbType.Uuid, rows.StreamIds),
                    Array(NpgsqlDbType.Bigint, rows.EventVersions),
                    Array(NpgsqlDbType.Jsonb, rows.Bodies),
                    Array(NpgsqlDbType.Varchar, rows.EventTypes),
                    Array(NpgsqlDbType.Varchar, rows.DotNetTypes),
                    Array(NpgsqlDbType.Varchar, rows.CausationIds),
                    Array(NpgsqlDbType.Varchar, rows.CorrelationIds),
                    Array(NpgsqlDbType.Jsonb, rows.Headers)),
            },
        };
        if (rows.Summaries.Count > 0)
        {
            var summaries = rows.Summaries.Values.ToArray();
            write.BatchCommands.Add(Command(
                sql.UpsertSummaries,
                Array(NpgsqlDbType.Uuid, summaries.Select(s => s.Id).ToArray()),
                Array(NpgsqlDbType.Jsonb, rows.SummaryBodies(summaries)),
                Array(NpgsqlDbType.Bigint, summaries.Select(s => rows.Streams[s.Id]).ToArray()),
                Array(NpgsqlDbType.TimestampTz, summaries.Select(s => s.StartedAt?.ToUniversalTime()).ToArray()),
                Array(NpgsqlDbType.Varchar, summaries.Select(s => s.Did).ToArray()),
                Array(NpgsqlDbType.Uuid, summaries.Select(s => s.AccountId).ToArray()),
                Array(NpgsqlDbType.Varchar, summaries.Select(s => s.HangupCause).ToArray())));
        }

        // Marten's UseListenNotifyForEventAppends: the daemon hears of the append at the commit instead of its next poll.
        write.BatchCommands.Add(Command(CallEventSql.Notify));
        await write.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Command(string text, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(text);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, T[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };

    /// <summary>A 64-bit advisory-lock key of the call id (its two halves folded).</summary>
    private static long LockKey(Guid callId)
    {
        Span<byte> bytes = stackalloc byte[16];
        callId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    /// <summary>What the first round trip found: stored message ids, stream versions, summaries.</summary>
    private sealed class Found
    {
        public HashSet<Guid> Seen { get; } = [];

        public Dictionary<Guid, long> Versions { get; } = [];

        public Dictionary<Guid, CallSummary> Summaries { get; } = [];
    }
}
