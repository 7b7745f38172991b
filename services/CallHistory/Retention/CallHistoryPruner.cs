using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.SipTraces;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Persistence;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.CallHistory.Retention;

/// <summary>
/// Deletes the calls that started longer ago than <see cref="CallHistoryRetentionSettings.Retention"/> with everything
/// of theirs: their events and stream row, summary, SIP trace (a document of earlier builds) and hangup-analysis outcome.
/// A call's start is its summary's <c>StartedAt</c>; a call without one (its <c>CallReceived</c> never came) started when
/// its first event was stored. At most <see cref="BatchSize"/> calls go in one transaction, which locks only their rows.
/// Only calls whose every event the async daemon has passed are deleted (events below its progress: it never reads them
/// again), so the daemon neither skips nor waits for a gap, and never writes an outcome again for a deleted call.
/// </summary>
public sealed partial class CallHistoryPruner(
    IDocumentStore store,
    TimeProvider time,
    IOptions<CallHistoryRetentionSettings> settings,
    ServiceIdentity identity,
    ILogger<CallHistoryPruner> logger) : RetentionPruner(time, logger)
{
    /// <summary>The most calls deleted in one transaction.</summary>
    public const int BatchSize = 500;

    /// <summary>How many of the oldest events one selection of calls without a start looks at: a batch's worth of calls and more.</summary>
    private const int UndatedWindow = BatchSize * 100;

    private readonly TimeProvider _time = time;
    private readonly ILogger<CallHistoryPruner> _logger = logger;
    private readonly Counter<long> _pruned = identity.Meter.CreateCounter(TrunkMetrics.PrunedCalls);
    private readonly Statements _sql = new(store);

    protected override string What => "calls";

    public override Task PruneAsync(CancellationToken cancellationToken) => PruneCallsAsync(cancellationToken);

    /// <summary>Deletes every call older than the retention that the daemon has passed; returns how many, in how many batches.</summary>
    public async Task<CallsPruned> PruneCallsAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var cutoff = _time.GetUtcNow() - settings.Value.Retention;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var projected = await ScalarAsync<long?>(connection, _sql.Projected, cancellationToken, Text(HangupAnalysisProjection.ProjectionName + ":%")).ConfigureAwait(false) ?? 0;
        if (projected == 0 && await ScalarAsync<bool>(connection, _sql.StartedBefore, cancellationToken, Timestamp(cutoff)).ConfigureAwait(false))
        {
            // Old calls wait for a daemon that has never run here: say so, or they would be kept for ever in silence.
            LogNoDaemon(cutoff);
            return new CallsPruned(0, 0, WaitingForDaemon: true);
        }

        var siptraces = await ScalarAsync<bool>(connection, _sql.SipTracesExist, cancellationToken, Text(_sql.SipTraces.Name)).ConfigureAwait(false);
        var dated = await PruneAsync(connection, _sql.Dated, Timestamp(cutoff), projected, siptraces, cancellationToken).ConfigureAwait(false);

        // Known before the scan, the bound lets PostgreSQL read the few old events by their number instead of the table.
        var storedAfter = await ScalarAsync<long?>(connection, _sql.FirstStoredAfter, cancellationToken, Timestamp(cutoff)).ConfigureAwait(false) ?? long.MaxValue;
        var bound = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = Math.Min(storedAfter, projected + 1) };
        var undated = await PruneAsync(connection, _sql.Undated, bound, projected, siptraces, cancellationToken).ConfigureAwait(false);
        var pruned = new CallsPruned(dated.Calls + undated.Calls, dated.Batches + undated.Batches);
        if (pruned.Calls > 0)
        {
            LogPruned(pruned.Calls, cutoff, pruned.Batches, _time.GetElapsedTime(started).TotalMilliseconds);
        }

        return pruned;
    }

    /// <summary>Deletes the calls <paramref name="sql"/> selects, a batch a transaction, until it selects fewer than a batch.</summary>
    private async Task<CallsPruned> PruneAsync(
        NpgsqlConnection connection, string sql, NpgsqlParameter limit, long projected, bool siptraces, CancellationToken cancellationToken)
    {
        var pruned = new CallsPruned(0, 0);
        Guid[] calls;
        do
        {
            calls = await SelectAsync(connection, sql, limit.Clone(), projected, cancellationToken).ConfigureAwait(false);
            if (calls.Length > 0)
            {
                var deleted = await DeleteAsync(connection, calls, siptraces, cancellationToken).ConfigureAwait(false);
                _pruned.Add(deleted);
                pruned = new CallsPruned(pruned.Calls + deleted, pruned.Batches + 1);
            }
        }
        while (calls.Length == BatchSize);

        return pruned;
    }

    private static async Task<Guid[]> SelectAsync(NpgsqlConnection connection, string sql, NpgsqlParameter limit, long projected, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                limit,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = projected },
            },
        };
        var calls = new List<Guid>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            calls.Add(reader.GetGuid(0));
        }

        return [.. calls];
    }

    /// <summary>
    /// Deletes the calls' rows in one transaction; returns how many calls it deleted (the larger of the streams and the
    /// summaries deleted: another instance's pruner may have deleted some of the same calls first).
    /// </summary>
    private async Task<int> DeleteAsync(NpgsqlConnection connection, Guid[] calls, bool siptraces, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlBatch(connection, transaction);
        foreach (var table in siptraces ? _sql.Tables.Append(_sql.SipTraces) : _sql.Tables)
        {
            var command = new NpgsqlBatchCommand($"delete from {table.Name} where {table.Key} = any($1)");
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = calls });
            delete.BatchCommands.Add(command);
        }

        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return _sql.Tables
            .Select((table, i) => (table, Deleted: delete.BatchCommands[i].RecordsAffected))
            .Where(t => t.table.Counts)
            .Max(t => (int)t.Deleted);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlParameter parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { parameter } };
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is T value ? value : default;
    }

    private static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };

    private static NpgsqlParameter Timestamp(DateTimeOffset value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value.ToUniversalTime() };

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Calls that started before {Cutoff} are kept: CallHistory:Retention deletes only calls the hangup-analysis daemon has passed, and no daemon has run on this database. Run one instance with CallHistory:RunProjectionDaemon on")]
    private partial void LogNoDaemon(DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Calls} calls that started before {Cutoff} in {Batches} batches, {ElapsedMs:F0} ms")]
    private partial void LogPruned(int calls, DateTimeOffset cutoff, int batches, double elapsedMs);

    /// <summary>The pruner's statements for the store's schemas.</summary>
    private sealed class Statements
    {
        public Statements(IDocumentStore store)
        {
            var events = store.Options.Events.DatabaseSchemaName;
            var summaries = TableOf<CallSummary>(store);
            SipTraces = new Table(TableOf<SipTrace>(store), "id");
            Tables =
            [
                new Table($"{events}.mt_events", "stream_id"),
                new Table($"{events}.mt_streams", "id", Counts: true),
                new Table(summaries, "id", Counts: true),
                new Table(TableOf<CallOutcome>(store), "id"),
            ];

            // The daemon's progress: the least of its shards' (one today), none (0) before its first page.
            Projected = $"select min(last_seq_id) from {events}.mt_event_progression where name like $1";

            // Whether any call started before the cutoff (the started_at index).
            StartedBefore = $"select exists (select 1 from {summaries} where started_at < $1)";

            // Calls with a start before the cutoff, oldest first (the started_at index), every event passed by the daemon.
            Dated =
                $"select d.id from {summaries} d where d.started_at < $1 " +
                $"and not exists (select 1 from {events}.mt_events e where e.stream_id = d.id and e.seq_id > $2) " +
                $"order by d.started_at limit {BatchSize}";

            // Calls without a start whose first event was stored before the cutoff. Events are numbered in the order they
            // are stored, so those of such calls lie below the first event stored after the cutoff ($1, found first by
            // walking the numbers from the oldest event left), among the oldest events left: the scan reads those in
            // number order (the primary key) instead of the table, whatever PostgreSQL's statistics say.
            FirstStoredAfter = $"select min(seq_id) from {events}.mt_events where timestamp >= $1";
            Undated =
                $"select distinct o.stream_id from (select e.stream_id from {events}.mt_events e where e.seq_id < $1 order by e.seq_id limit {UndatedWindow}) o " +
                $"where o.stream_id is not null and not exists (select 1 from {summaries} d where d.id = o.stream_id and d.started_at is not null) " +
                $"and not exists (select 1 from {events}.mt_events later where later.stream_id = o.stream_id and later.seq_id > $2) " +
                $"limit {BatchSize}";
        }

        /// <summary>The tables that hold a call's rows, each with the column that names the call.</summary>
        public IReadOnlyList<Table> Tables { get; }

        /// <summary>The inline SIP trace documents of earlier builds (the trace is now read from the stream).</summary>
        public Table SipTraces { get; }

        public string SipTracesExist => "select to_regclass($1) is not null";

        public string Projected { get; }

        public string StartedBefore { get; }

        public string Dated { get; }

        public string FirstStoredAfter { get; }

        public string Undated { get; }

        private static string TableOf<T>(IDocumentStore store) => store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
    }

    /// <summary>A table of a call's rows, the column that names the call, and whether one row there is one call.</summary>
    private sealed record Table(string Name, string Key, bool Counts = false);
}

/// <summary>What one prune deleted: calls, and the transactions (batches) it took; whether old calls wait for a daemon that never ran.</summary>
public sealed record CallsPruned(int Calls, int Batches, bool WaitingForDaemon = false);
