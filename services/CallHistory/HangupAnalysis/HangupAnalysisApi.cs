using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary><c>GET /analysis/hangups</c>: hangup causes, transfer outcomes and silent calls of a time range.</summary>
public static class HangupAnalysisApi
{
    public static IEndpointRouteBuilder MapHangupAnalysis(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/analysis/hangups", ReadAsync)
            .WithTags("Analysis")
            .WithSummary("Counts of ended calls by cause, trunk, account or hour; transfer success rate and failure causes; calls without audio. Kept by the async daemon, so it trails the calls by its lag.");
        return routes;
    }

    private static async Task<Results<Ok<HangupReport>, ValidationProblem>> ReadAsync(
        IQuerySession session,
        TimeProvider time,
        string? from,
        string? to,
        string? groupBy,
        CancellationToken cancellationToken)
    {
        var (query, errors) = HangupQuery.Parse(from, to, groupBy, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request has invalid filters.");
        }

        return TypedResults.Ok(await HangupReportReader.ReadAsync(session, query, cancellationToken).ConfigureAwait(false));
    }
}
