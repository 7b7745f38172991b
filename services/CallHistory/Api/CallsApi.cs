using System.Text;
using JasperFx.Events;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.SipTraces;

namespace Trunk.CallHistory.Api;

/// <summary>The call history HTTP API: list, summary, events and SIP trace of a call.</summary>
public static class CallsApi
{
    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder routes)
    {
        var calls = routes.MapGroup("/calls").WithTags("Calls");
        calls.MapGet("/", ListAsync).WithSummary("Calls that started in a time range, newest first, filtered by DID, account and outcome (a hangup cause).");
        calls.MapGet("/{id:guid}", GetAsync).WithSummary("The summary of one call.");
        calls.MapGet("/{id:guid}/events", EventsAsync).WithSummary("Every event of one call's stream, in stream order.");
        calls.MapGet("/{id:guid}/sip-trace", SipTraceAsync)
            .WithSummary("The SIP messages of all legs of one call, in wire order: ?format=json (default), text (plain), hexdump (text2pcap -t ISO) or pcap (UDP/IPv4 frames made from the traced addresses).");
        return routes;
    }

    private static async Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        IQuerySession session,
        string? from,
        string? to,
        string? did,
        string? account,
        string? outcome,
        string? page,
        string? pageSize,
        CancellationToken cancellationToken)
    {
        var (query, errors) = CallQuery.Parse(from, to, did, account, outcome, page, pageSize);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request has invalid filters.");
        }

        var results = await query.RunAsync(session, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CallPage([.. results], query.Page, query.PageSize, results.TotalItemCount));
    }

    private static async Task<Results<Ok<CallSummary>, ProblemHttpResult>> GetAsync(
        Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<CallSummary>(id, cancellationToken).ConfigureAwait(false) is { } call
            ? TypedResults.Ok(call)
            : NotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<CallEventRecord>>, ProblemHttpResult>> EventsAsync(
        Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return NotFound(id);
        }

        return TypedResults.Ok<IReadOnlyList<CallEventRecord>>([.. events.Select(CallEventRecord.From)]);
    }

    private static async Task<IResult> SipTraceAsync(Guid id, string? format, IQuerySession session, CancellationToken cancellationToken)
    {
        if (format is not null && format is not ("json" or "text" or "hexdump" or "pcap"))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["format"] = ["'format' must be 'json', 'text', 'hexdump' or 'pcap'."] },
                title: "The request has invalid filters.");
        }

        var trace = await SipTraceReader.LoadAsync(session, id, cancellationToken).ConfigureAwait(false);
        if (trace is null)
        {
            return await session.LoadAsync<CallSummary>(id, cancellationToken).ConfigureAwait(false) is null
                ? NotFound(id)
                : Trace(new SipTrace { Id = id }, format);
        }

        return Trace(trace, format);
    }

    private static IResult Trace(SipTrace trace, string? format) => format switch
    {
        "text" => TypedResults.Text(SipTraceText.Write(trace), "text/plain; charset=utf-8"),
        "hexdump" => TypedResults.File(Encoding.ASCII.GetBytes(SipTraceHexDump.Write(trace)), "text/plain; charset=us-ascii", $"call-{trace.Id}.txt"),
        "pcap" => TypedResults.File(SipTracePcap.Write(trace), SipTracePcap.ContentType, $"call-{trace.Id}.pcap"),
        _ => TypedResults.Ok(trace),
    };

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such call.", detail: $"No call '{id}'.");
}

/// <summary>One page of <c>GET /calls</c>.</summary>
public sealed record CallPage(IReadOnlyList<CallSummary> Calls, int Page, int PageSize, long Total);

/// <summary>One stored event of a call, with its metadata.</summary>
public sealed record CallEventRecord(
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset StoredAt,
    string? CorrelationId,
    string? CausationId,
    IReadOnlyDictionary<string, object>? Headers,
    object Data)
{
    public static CallEventRecord From(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new CallEventRecord(e.Version, e.Sequence, e.EventTypeName, e.Timestamp, e.CorrelationId, e.CausationId, e.Headers, e.Data);
    }
}
