using System.Text.Json;
using Marten;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// Builds a <see cref="HangupReport"/> with grouped SQL over the <see cref="CallOutcome"/> documents of the range: the
/// range is read by the duplicated, indexed <c>started_at</c> column; causes, trunks, accounts and hours are read from the
/// documents themselves (an index on each would cost every rewrite of an outcome and serve no report).
/// </summary>
public static class HangupReportReader
{
    /// <summary>At most this many no-audio call ids are listed; the count covers all.</summary>
    public const int NoAudioListLimit = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<HangupReport> ReadAsync(IQuerySession session, HangupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(query);
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_calloutcome";
        const string Cause = "(data ->> 'Cause')";
        const string Ended = $"{Cause} is not null and started_at >= ? and started_at < ?";
        var key = query.GroupBy switch
        {
            HangupGrouping.Trunk => "coalesce(data ->> 'TrunkId', 'none')",
            HangupGrouping.Account => "coalesce(data ->> 'AccountId', 'none')",
            HangupGrouping.Hour => "to_char((data ->> 'Hour')::timestamptz at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')",
            _ => Cause,
        };

        var groups = await session.QueryAsync<string>(
            $"""
            select json_build_object('key', g.key, 'calls', g.calls, 'noAudioCalls', g.silent,
                'transfers', g.transfers, 'transfersCompleted', g.completed)::text
            from (select {key} as key, count(*) as calls,
                    count(*) filter (where (data ->> 'NoAudio')::boolean) as silent,
                    coalesce(sum((data ->> 'Transfers')::int), 0) as transfers,
                    coalesce(sum((data ->> 'TransfersCompleted')::int), 0) as completed
                from {table} where {Ended} group by {key}) g
            order by g.key
            """,
            cancellationToken,
            query.From,
            query.To).ConfigureAwait(false);
        var causes = await session.QueryAsync<string>(
            $"select json_build_object('cause', {Cause}, 'count', count(*))::text from {table} where {Ended} group by {Cause} order by count(*) desc, {Cause}",
            cancellationToken,
            query.From,
            query.To).ConfigureAwait(false);
        var failures = await session.QueryAsync<string>(
            $"""
            select json_build_object('cause', f.value, 'count', count(*))::text
            from {table} d, jsonb_array_elements_text(d.data -> 'TransferFailures') f
            where {Ended} group by f.value order by count(*) desc, f.value
            """,
            cancellationToken,
            query.From,
            query.To).ConfigureAwait(false);
        var silent = await session.QueryAsync<Guid>(
            $"select id from {table} where {Ended} and (data ->> 'NoAudio')::boolean order by started_at desc limit {NoAudioListLimit}",
            cancellationToken,
            query.From,
            query.To).ConfigureAwait(false);

        var rows = groups.Select(g => JsonSerializer.Deserialize<HangupGroup>(g, Json)!).ToList();
        var transfers = rows.Sum(r => r.Transfers);
        var completed = rows.Sum(r => r.TransfersCompleted);
        return new HangupReport(
            query.From,
            query.To,
            query.GroupBy,
            rows.Sum(r => r.Calls),
            rows.Sum(r => r.NoAudioCalls),
            transfers,
            completed,
            transfers == 0 ? null : (double)completed / transfers,
            rows,
            [.. causes.Select(c => JsonSerializer.Deserialize<CauseCount>(c, Json)!)],
            [.. failures.Select(c => JsonSerializer.Deserialize<CauseCount>(c, Json)!)],
            [.. silent]);
    }
}
