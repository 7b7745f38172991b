using System.Globalization;
using System.Text;
using Marten;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.Pages;

/// <summary><c>/ui/calls</c>: the calls of a time range with the filters of <c>GET /calls</c>, newest first, linked to their detail.</summary>
public static class CallListPage
{
    public static async Task<IResult> RenderAsync(HttpRequest request, IQuerySession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var q = request.Query;
        var (query, errors) = CallQuery.Parse(q["from"], q["to"], q["did"], q["account"], q["outcome"], q["page"], q["pageSize"]);
        var body = new StringBuilder("<h1>Calls</h1>").Append(Html.Errors(errors)).Append(Filters(request));
        if (errors.Count > 0)
        {
            return Html.Page("Calls", body.ToString(), StatusCodes.Status400BadRequest);
        }

        var calls = await query.RunAsync(session, cancellationToken).ConfigureAwait(false);
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\" id=\"total\">{calls.TotalItemCount} calls</p>")
            .Append("<table id=\"calls\"><thead><tr><th>Started (UTC)</th><th>Caller</th><th>DID</th><th>Duration</th>")
            .Append("<th>Transfers</th><th>Hangup cause</th><th>Hung up by</th><th>SIP</th><th>Q.850</th></tr></thead><tbody>");
        foreach (var call in calls)
        {
            body.Append("<tr data-call=\"").Append(call.Id).Append("\"><td><a href=\"/ui/calls/").Append(call.Id).Append("\">")
                .Append(Html.Time(call.StartedAt)).Append("</a></td><td>").Append(Html.Encode(call.CallerNumber))
                .Append("</td><td>").Append(Html.Encode(call.Did)).Append("</td><td>")
                .Append(call.Duration?.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(Html.Encode(string.Join(", ", call.Transfers.Select(t => t.Outcome.ToString().ToLowerInvariant() + (t.FailureCause is null ? "" : $" ({t.FailureCause})")))))
                .Append("</td><td class=\"cause\">").Append(Html.Encode(call.HangupCause)).Append("</td><td>")
                .Append(call.HungUpBy?.ToString().ToLowerInvariant()).Append("</td><td>").Append(call.SipCode).Append("</td><td>")
                .Append(call.Q850Cause).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
        if (calls.HasNextPage || calls.HasPreviousPage)
        {
            body.Append("<p>");
            if (calls.HasPreviousPage)
            {
                body.Append("<a rel=\"prev\" href=\"").Append(PageLink(request, query.Page - 1)).Append("\">← newer</a> ");
            }

            if (calls.HasNextPage)
            {
                body.Append("<a rel=\"next\" href=\"").Append(PageLink(request, query.Page + 1)).Append("\">older →</a>");
            }

            body.Append("</p>");
        }

        return Html.Page("Calls", body.ToString());
    }

    private static string Filters(HttpRequest request)
    {
        var q = request.Query;
        var outcome = q["outcome"].ToString();
        var options = string.Concat(HangupCauses.All.Select(c =>
            $"<option value=\"{c.Code}\"{(c.Code == outcome ? " selected" : "")}>{c.Code}</option>"));
        return "<form class=\"filters\" method=\"get\" action=\"/ui/calls\">"
            + Html.Input("from", "From (UTC, ISO 8601)", q["from"]) + Html.Input("to", "To", q["to"])
            + Html.Input("did", "DID", q["did"]) + Html.Input("account", "Account id", q["account"])
            + $"<label>Outcome<select name=\"outcome\"><option value=\"\">any</option>{options}</select></label>"
            + "<button type=\"submit\">Filter</button></form>";
    }

    private static string PageLink(HttpRequest request, int page)
    {
        var parameters = request.Query.Where(p => p.Key != "page").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString())}")
            .Append($"page={page.ToString(CultureInfo.InvariantCulture)}");
        return Html.Encode("/ui/calls?" + string.Join("&", parameters));
    }
}
