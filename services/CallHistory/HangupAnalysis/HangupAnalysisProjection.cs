using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Aggregation;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// The async (daemon) projection behind <c>GET /analysis/hangups</c>: for each page of events, loads the current
/// <see cref="CallSummary"/> of the page's calls in one query (the writer folds every event into its call's summary in
/// the append's transaction, so the summary is at least as new as the page) and writes each call's small
/// <see cref="CallOutcome"/> from it. Errors stop the daemon's shard and are retried; none is skipped.
/// </summary>
public sealed class HangupAnalysisProjection : SingleStreamProjection<CallOutcome, Guid>
{
    public const string ProjectionName = "HangupAnalysis";

    public HangupAnalysisProjection()
    {
        Name = ProjectionName;

        // The daemon loads only the events that change a call's summary (no SIP trace batches).
        foreach (var type in CallSummaryProjection.FoldedTypes)
        {
            IncludeType(type);
        }
    }

    public override async Task EnrichEventsAsync(SliceGroup<CallOutcome, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(querySession);
        var slices = group.Slices.ToList();
        var summaries = (await querySession.LoadManyAsync<CallSummary>(cancellation, slices.Select(s => s.Id)).ConfigureAwait(false))
            .ToDictionary(s => s.Id);
        foreach (var slice in slices)
        {
            // A stream without a stored summary (none is written without one) is folded from its events instead.
            var summary = summaries.GetValueOrDefault(slice.Id)
                ?? await querySession.Events.AggregateStreamAsync<CallSummary>(slice.Id, token: cancellation).ConfigureAwait(false)
                ?? new CallSummary { Id = slice.Id };
            slice.Reference(summary);
        }
    }

    public override CallOutcome Evolve(CallOutcome? snapshot, Guid id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Data is References<CallSummary> summary ? CallOutcome.From(summary.Entity) : snapshot ?? new CallOutcome { Id = id };
    }
}
