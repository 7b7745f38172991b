using System.Globalization;
using System.Text;
using Marten;
using Trunk.CallHistory.HangupAnalysis;

namespace Trunk.CallHistory.Pages;

/// <summary><c>/ui/analysis/hangups</c>: <c>GET /analysis/hangups</c> as charts, with its range and grouping as a form.</summary>
public static class AnalysisPage
{
    public static async Task<IResult> RenderAsync(HttpRequest request, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var q = request.Query;
        var (query, errors) = HangupQuery.Parse(q["from"], q["to"], q["groupBy"], time.GetUtcNow());
        var body = new StringBuilder("<h1>Hangup analysis</h1>").Append(Html.Errors(errors)).Append(Filters(request, query));
        if (errors.Count > 0)
        {
            return Html.Page("Hangup analysis", body.ToString(), StatusCodes.Status400BadRequest);
        }

        var report = await HangupReportReader.ReadAsync(session, query, cancellationToken).ConfigureAwait(false);
        var rate = report.TransferSuccessRate is { } r ? (r * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Calls that started from {Html.Time(report.From)} to {Html.Time(report.To)} UTC and have ended; kept by the async daemon.</p>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"metric\" id=\"calls\">Calls<b>{report.Calls}</b></div>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"metric\" id=\"success-rate\">Transfer success<b>{rate}</b>{report.TransfersCompleted} of {report.Transfers}</div>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"metric\" id=\"no-audio\">No-audio calls<b>{report.NoAudioCalls}</b></div>")
            .Append("<h2>Hangup causes</h2>").Append(BarChart.Svg("by-cause", "Calls by hangup cause", [.. report.Causes.Select(c => (c.Cause, c.Count))]))
            .Append(CultureInfo.InvariantCulture, $"<h2>By {query.GroupBy.ToString().ToLowerInvariant()}</h2>")
            .Append(BarChart.Svg("by-group", $"Calls by {query.GroupBy.ToString().ToLowerInvariant()}", [.. report.Groups.Select(g => (g.Key, g.Calls))]))
            .Append("<h2>Transfer failures</h2>").Append(BarChart.Svg("transfer-failures", "Failed transfers by cause", [.. report.TransferFailures.Select(c => (c.Cause, c.Count))]))
            .Append("<h2>No-audio calls</h2>");
        body.Append(report.NoAudioCallIds.Count == 0
            ? "<p class=\"muted\">None.</p>"
            : "<ul id=\"no-audio-calls\">" + string.Concat(report.NoAudioCallIds.Select(id => $"<li><a href=\"/ui/calls/{id}\">{id}</a></li>")) + "</ul>");
        return Html.Page("Hangup analysis", body.ToString());
    }

    private static string Filters(HttpRequest request, HangupQuery query)
    {
        var options = string.Concat(Enum.GetValues<HangupGrouping>().Select(g =>
            $"<option value=\"{g.ToString().ToLowerInvariant()}\"{(g == query.GroupBy ? " selected" : "")}>{g.ToString().ToLowerInvariant()}</option>"));
        return "<form class=\"filters\" method=\"get\" action=\"/ui/analysis/hangups\">"
            + Html.Input("from", "From (UTC, ISO 8601)", request.Query["from"]) + Html.Input("to", "To", request.Query["to"])
            + $"<label>Group by<select name=\"groupBy\">{options}</select></label><button type=\"submit\">Show</button></form>";
    }
}
