using Marten;

namespace Trunk.CallHistory.Recording;

/// <summary>One transaction of <see cref="CallEventWriter"/>: a batch of consumed messages appended to their calls' streams.</summary>
internal static class CallEventBatch
{
    /// <summary>Header of each stored event: the MassTransit MessageId that carried it.</summary>
    public const string MessageIdHeader = "message-id";

    /// <summary>Header of each stored event: the publisher's W3C trace context.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>
    /// Appends every message of <paramref name="batch"/> not stored before, each call's in the batch's order, in one
    /// transaction; returns the ones it stored. Each event's id is its message's MessageId (unique in the store): a
    /// redelivered message finds its event and is stored once.
    /// </summary>
    public static async Task<IReadOnlySet<PendingCallEvent>> CommitAsync(IDocumentStore store, IReadOnlyList<PendingCallEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);

        // Transaction locks on the calls' ids, taken in one order by every writer of every instance, so that no two
        // transactions append to one call at once (two first events of a new call would collide on the stream's
        // insert) and a redelivery waits for its first delivery's commit before it looks for it below.
        var keys = batch.Select(p => LockKey(p.CallId)).Distinct().Order().ToArray();
        await session.QueryAsync<int>(
                "select count(*)::int from (select pg_advisory_xact_lock(k) from unnest(?::bigint[]) as k) as locked", CancellationToken.None, keys)
            .ConfigureAwait(false);

        var messageIds = batch.Select(p => p.MessageId).Distinct().ToArray();
        var seen = (await session.QueryAsync<Guid>(
                $"select id from {store.Options.Events.DatabaseSchemaName}.mt_events where id = any(?::uuid[])", CancellationToken.None, messageIds)
            .ConfigureAwait(false)).ToHashSet();
        var stored = new HashSet<PendingCallEvent>();
        foreach (var call in batch.GroupBy(p => p.CallId))
        {
            var events = new List<object>();
            foreach (var pending in call.Where(p => seen.Add(p.MessageId)))
            {
                events.Add(ToEvent(session, pending));
                stored.Add(pending);
            }

            if (events.Count > 0)
            {
                session.Events.Append(call.Key, events);
            }
        }

        await session.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        return stored;
    }

    /// <summary>The event with its own message's metadata: a batch mixes messages of many publishers and traces.</summary>
    private static JasperFx.Events.IEvent ToEvent(IDocumentSession session, PendingCallEvent pending)
    {
        var e = session.Events.BuildEvent(pending.Event);
        e.Id = pending.MessageId;
        e.CorrelationId = pending.CorrelationId;
        e.CausationId = pending.CausationId;
        e.SetHeader(MessageIdHeader, pending.MessageId.ToString());
        if (pending.TraceParent is { } traceParent)
        {
            e.SetHeader(TraceParentHeader, traceParent);
        }

        return e;
    }

    /// <summary>A 64-bit advisory-lock key of the call id (its two halves folded).</summary>
    private static long LockKey(Guid callId)
    {
        Span<byte> bytes = stackalloc byte[16];
        callId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
