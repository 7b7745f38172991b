using System.Collections.Concurrent;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// The statements of <see cref="CallEventBatch"/> for one schema, each a fixed text with one array parameter per
/// column (so that Npgsql prepares it once, whatever the batch's size). They write the rows Marten 9.58's own append
/// (<c>mt_quick_append_events</c>) and document upsert write: the same columns and values, the tenant
/// <c>*DEFAULT*</c>, each event's <c>seq_id</c> from the schema's sequence in the batch's order.
/// </summary>
internal sealed class CallEventSql
{
    /// <summary>Marten's tenant of a store that is not multi-tenanted.</summary>
    private const string DefaultTenant = "*DEFAULT*";

    public const string Lock =
        "select count(*)::int from (select pg_advisory_xact_lock(k) from unnest($1::bigint[]) as k) as locked";

    /// <summary>What Marten sends after an append when <c>UseListenNotifyForEventAppends</c> is on (its channel is not per schema).</summary>
    public const string Notify = "select pg_notify('mt_events_appended', '')";

    private static readonly ConcurrentDictionary<(string Events, string Documents), CallEventSql> BySchema = new();

    private CallEventSql(string events, string documents)
    {
        Seen = $"select id from {events}.mt_events where id = any($1::uuid[])";
        Versions = $"select id, version from {events}.mt_streams where id = any($1::uuid[])";
        Summaries = $"select id, data from {documents}.mt_doc_callsummary where id = any($1::uuid[])";

        // A new stream's row as the function inserts it (no stream type: the calls' streams are appended to by id only);
        // an existing one's version moves to its last event's, never back.
        UpsertStreams =
            $"insert into {events}.mt_streams as s (id, type, version, timestamp, tenant_id) " +
            $"select id, null, version, now(), '{DefaultTenant}' from unnest($1::uuid[], $2::bigint[]) as t(id, version) " +
            "on conflict (id) do update set version = greatest(s.version, excluded.version), timestamp = excluded.timestamp";

        // unnest of several arrays reads them side by side in order, so nextval numbers the events in the batch's order
        // (within a stream, in version order) as the function's loop does; the timestamp is the function's expression.
        InsertEvents =
            $"insert into {events}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, " +
            "is_archived, causation_id, correlation_id, headers) " +
            $"select nextval('{events}.mt_events_sequence'), e.id, e.stream_id, e.version, e.data, e.type, '{DefaultTenant}', " +
            "(now() at time zone 'utc'), e.dotnet_type, false, e.causation_id, e.correlation_id, e.headers " +
            "from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::jsonb[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::jsonb[]) " +
            "as e(id, stream_id, version, data, type, dotnet_type, causation_id, correlation_id, headers)";

        // Marten's upsert of a document revised by its stream: mt_version is the stream's version after the append.
        UpsertSummaries =
            $"insert into {documents}.mt_doc_callsummary as d (id, data, mt_version, mt_dotnet_type, mt_last_modified, started_at, did, account_id, hangup_cause) " +
            $"select id, data, version, '{typeof(CallSummaries.CallSummary).FullName}', transaction_timestamp(), started_at, did, account_id, hangup_cause " +
            "from unnest($1::uuid[], $2::jsonb[], $3::bigint[], $4::timestamptz[], $5::varchar[], $6::uuid[], $7::varchar[]) " +
            "as s(id, data, version, started_at, did, account_id, hangup_cause) " +
            "on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, mt_dotnet_type = excluded.mt_dotnet_type, " +
            "mt_last_modified = excluded.mt_last_modified, started_at = excluded.started_at, did = excluded.did, " +
            "account_id = excluded.account_id, hangup_cause = excluded.hangup_cause";
    }

    public string Seen { get; }

    public string Versions { get; }

    public string Summaries { get; }

    public string UpsertStreams { get; }

    public string InsertEvents { get; }

    public string UpsertSummaries { get; }

    public static CallEventSql For(string eventsSchema, string documentsSchema) =>
        BySchema.GetOrAdd((eventsSchema, documentsSchema), key => new CallEventSql(key.Events, key.Documents));
}
