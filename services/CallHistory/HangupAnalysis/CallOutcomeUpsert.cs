using System.Data.Common;
using Marten;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Storage;
using ICommandBuilder = Weasel.Postgresql.ICommandBuilder;
using IStorageOperation = Marten.Internal.Operations.IStorageOperation;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// One statement that writes a page's <see cref="CallOutcome"/> documents, however many calls the page holds: the rows
/// Marten's own upsert of the aggregate wrote one statement each (its serializer's body, <c>mt_version</c> the version of
/// the call's last event in the page, <c>mt_dotnet_type</c>, <c>mt_last_modified</c> and the duplicated
/// <c>started_at</c>), as a multi-row upsert of arrays. Queued on the daemon's batch (<see cref="HangupAnalysisProjection"/>).
/// </summary>
internal sealed class CallOutcomeUpsert : IStorageOperation
{
    private readonly string _table;
    private readonly Guid[] _ids;
    private readonly string[] _bodies;
    private readonly long[] _versions;
    private readonly DateTimeOffset?[] _startedAt;

    /// <param name="options">The store's: its document schema and serializer.</param>
    /// <param name="outcomes">One per call (a statement may not update a row twice).</param>
    /// <param name="versions">Each call's last event version in the page.</param>
    public CallOutcomeUpsert(IReadOnlyStoreOptions options, IReadOnlyList<CallOutcome> outcomes, IReadOnlyDictionary<Guid, long> versions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(versions);
        var serializer = options.Serializer();
        _table = $"{options.DatabaseSchemaName}.mt_doc_calloutcome";
        _ids = [.. outcomes.Select(o => o.Id)];
        _bodies = [.. outcomes.Select(o => serializer.ToJson(o))];
        _versions = [.. outcomes.Select(o => versions[o.Id])];
        _startedAt = [.. outcomes.Select(o => o.StartedAt?.ToUniversalTime())];
    }

    public Type DocumentType => typeof(CallOutcome);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append($"insert into {_table} as d (id, data, mt_version, mt_dotnet_type, mt_last_modified, started_at) ");
        builder.Append($"select id, data, version, '{typeof(CallOutcome).FullName}', transaction_timestamp(), started_at from unnest(");
        builder.AppendParameter(_ids, NpgsqlDbType.Array | NpgsqlDbType.Uuid);
        builder.Append(", ");
        builder.AppendParameter(_bodies, NpgsqlDbType.Array | NpgsqlDbType.Jsonb);
        builder.Append(", ");
        builder.AppendParameter(_versions, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        builder.Append(", ");
        builder.AppendParameter(_startedAt, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz);
        builder.Append(
            ") as o(id, data, version, started_at) on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, " +
            "mt_dotnet_type = excluded.mt_dotnet_type, mt_last_modified = excluded.mt_last_modified, started_at = excluded.started_at");
    }

    public OperationRole Role() => OperationRole.Upsert;

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;
}
