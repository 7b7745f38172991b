using JasperFx.Events;
using Marten.Events.Aggregation;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// The async (daemon) projection behind <c>GET /analysis/hangups</c>: folds each call's stream, in whatever order its
/// events come, into its <see cref="CallOutcome"/>. Errors stop the daemon's shard and are retried; none is skipped.
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

    public override CallOutcome Evolve(CallOutcome? snapshot, Guid id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return CallOutcome.From(CallSummaryProjection.Fold(snapshot?.Call ?? new CallSummary { Id = id }, e.Data));
    }
}
