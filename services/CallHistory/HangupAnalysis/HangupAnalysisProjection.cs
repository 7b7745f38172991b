using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// The async (daemon) projection behind <c>GET /analysis/hangups</c>: for each page of events, loads the current
/// <see cref="CallSummary"/> of the page's calls in one query (the writer folds every event into its call's summary in
/// the append's transaction, so the summary is at least as new as the page) and writes every call's small
/// <see cref="CallOutcome"/> from it in one multi-row upsert (<see cref="CallOutcomeUpsert"/>), queued on the daemon's
/// own batch so that it commits with the shard's progress. Marten's aggregation wrote one statement per call and page.
/// Errors stop the daemon's shard and are retried; none is skipped.
/// </summary>
public sealed class HangupAnalysisProjection : IProjection
{
    public const string ProjectionName = "HangupAnalysis";

    /// <summary>The projection as the daemon runs it: named as Marten's aggregation was (its progress row goes on), fed only the events that change a summary.</summary>
    public static ProjectionWrapper<IDocumentOperations, IQuerySession> Source()
    {
        var source = new ProjectionWrapper<IDocumentOperations, IQuerySession>(new HangupAnalysisProjection(), ProjectionLifecycle.Async)
        {
            Name = ProjectionName,
        };

        // The daemon loads only the events that change a call's summary (no SIP trace batches).
        foreach (var type in CallSummaryProjection.FoldedTypes)
        {
            source.IncludeType(type);
        }

        // A rebuild starts from an empty table, as it did for the aggregation's documents.
        source.Options.DeleteViewTypeOnTeardown<CallOutcome>();
        return source;
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);

        // Each call once, with the version of its last event in the page (Marten's mt_version of an aggregate).
        var versions = new Dictionary<Guid, long>();
        foreach (var e in events)
        {
            versions[e.StreamId] = Math.Max(e.Version, versions.GetValueOrDefault(e.StreamId));
        }

        if (versions.Count == 0)
        {
            return;
        }

        var summaries = (await operations.LoadManyAsync<CallSummary>(cancellation, versions.Keys).ConfigureAwait(false)).ToDictionary(s => s.Id);
        var outcomes = new List<CallOutcome>(versions.Count);
        foreach (var id in versions.Keys)
        {
            // A stream without a stored summary (none is written without one) is folded from its events instead.
            var summary = summaries.GetValueOrDefault(id)
                ?? await operations.Events.AggregateStreamAsync<CallSummary>(id, token: cancellation).ConfigureAwait(false)
                ?? new CallSummary { Id = id };
            outcomes.Add(CallOutcome.From(summary));
        }

        operations.QueueOperation(new CallOutcomeUpsert(operations.DocumentStore.Options, outcomes, versions));
    }
}
