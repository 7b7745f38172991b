using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.SipTraces;
using Trunk.Contracts;

namespace Trunk.CallHistory.Pages;

/// <summary><c>/ui/calls/{id}</c>: one call's summary, its SIP ladder of all legs, its event timeline and media quality.</summary>
public static class CallDetailPage
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web)
    {
        // The page HTML-encodes the JSON itself; the default encoder would also escape '+' of every E.164 number.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<IResult> RenderAsync(Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var call = await session.LoadAsync<CallSummary>(id, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return Html.Page("No such call", $"<h1>No such call</h1><p>No call '{id}'.</p>", StatusCodes.Status404NotFound);
        }

        var trace = await SipTraceReader.LoadAsync(session, id, cancellationToken).ConfigureAwait(false) ?? new SipTrace { Id = id };
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<h1>Call {Html.Encode(call.CallerNumber)} → {Html.Encode(call.Did)}</h1>")
            .Append(Summary(call))
            .Append("<h2>Transfers</h2>").Append(Transfers(call))
            .Append(CultureInfo.InvariantCulture, $"<h2>SIP ladder</h2><p class=\"muted\">{trace.Messages.Count} messages, all legs · download ")
            .Append(CultureInfo.InvariantCulture, $"<a id=\"pcap\" href=\"/calls/{id}/sip-trace?format=pcap\">pcap</a> · <a id=\"hexdump\" href=\"/calls/{id}/sip-trace?format=hexdump\">hex dump (text2pcap -t ISO)</a> · <a href=\"/calls/{id}/sip-trace?format=text\">text</a></p>")
            .Append(SipLadder.Svg(trace))
            .Append("<h2>Media quality</h2>").Append(Media(call))
            .Append("<h2>Event timeline</h2><table id=\"timeline\"><thead><tr><th>#</th><th>At (UTC)</th><th>Event</th><th>From</th><th>Data</th></tr></thead><tbody>");
        foreach (var e in events.OrderBy(e => (e.Data as ICallEvent)?.At ?? e.Timestamp).ThenBy(e => e.Version))
        {
            var data = e.Data as ICallEvent;
            var json = JsonSerializer.Serialize(e.Data, e.Data.GetType(), EventJson);
            body.Append(CultureInfo.InvariantCulture, $"<tr data-event=\"{Html.Encode(e.EventTypeName)}\"><td>{e.Version}</td><td>{Html.Time(data?.At ?? e.Timestamp)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Html.Encode(e.Data.GetType().Name)}</td><td>{Html.Encode(data?.Instance)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><code>{Html.Encode(json.Length > 240 ? json[..240] + "…" : json)}</code></td></tr>");
        }

        return Html.Page($"Call {call.Id}", body.Append("</tbody></table>").ToString());
    }

    private static string Summary(CallSummary call)
    {
        var cause = HangupCauses.Find(call.HangupCause);
        var rows = new (string Label, string? Value)[]
        {
            ("Call id", call.Id.ToString()),
            ("SIP Call-ID", call.SipCallId),
            ("Trunk / account", $"{call.TrunkId} / {call.AccountId}"),
            ("Started", Html.Time(call.StartedAt)),
            ("Answered", Html.Time(call.AnsweredAt)),
            ("Ended", Html.Time(call.EndedAt)),
            ("Post-dial delay", call.PostDialDelay is { } pdd ? $"{pdd.TotalMilliseconds:0} ms" : null),
            ("Duration", call.Duration?.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture)),
            ("Hangup cause", cause is null ? call.HangupCause : $"{cause.Code} — {cause.Meaning}"),
            ("Hung up by", call.HungUpBy?.ToString().ToLowerInvariant()),
            ("SIP code / Q.850", $"{call.SipCode} / {call.Q850Cause}"),
        };
        return "<dl id=\"summary\">" + string.Concat(rows.Select(r => $"<dt>{Html.Encode(r.Label)}</dt><dd>{Html.Encode(r.Value)}</dd>")) + "</dl>";
    }

    private static string Transfers(CallSummary call)
    {
        if (call.Transfers.Count == 0)
        {
            return "<p class=\"muted\">No transfer.</p>";
        }

        var table = new StringBuilder("<table id=\"transfers\"><thead><tr><th>Target</th><th>Referred</th><th>Outcome</th><th>Failure cause</th><th>SIP</th><th>Reason</th><th>REFER → bridge</th></tr></thead><tbody>");
        foreach (var t in call.Transfers)
        {
            table.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html.Encode(t.TargetNumber)}</td><td>{Html.Time(t.ReferredAt)}</td><td>{t.Outcome.ToString().ToLowerInvariant()}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"cause\">{Html.Encode(t.FailureCause)}</td><td>{t.SipCode}</td><td>{Html.Encode(t.Reason)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(t.ReferToBridge is { } r ? $"{r.TotalMilliseconds:0} ms" : "")}</td></tr>");
        }

        return table.Append("</tbody></table>").ToString();
    }

    private static string Media(CallSummary call)
    {
        if (call.Media.Count == 0)
        {
            return "<p class=\"muted\">No RTP statistics.</p>";
        }

        var table = new StringBuilder("<table id=\"media\"><thead><tr><th>Leg</th><th>Packets</th><th>Lost</th><th>Loss</th><th>Jitter</th><th>Last packet</th><th>No audio</th></tr></thead><tbody>");
        foreach (var m in call.Media.OrderBy(m => m.Leg))
        {
            var loss = m.Packets + m.PacketsLost == 0 ? 0 : 100.0 * m.PacketsLost / (m.Packets + m.PacketsLost);
            table.Append(CultureInfo.InvariantCulture, $"<tr data-leg=\"{m.Leg.ToString().ToLowerInvariant()}\"><td>{m.Leg.ToString().ToLowerInvariant()}</td><td>{m.Packets}</td><td>{m.PacketsLost}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{loss:0.00} %</td><td>{m.JitterMilliseconds:0.0} ms</td><td>{Html.Time(m.LastPacketAt)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(m.NoAudioFor is { } s ? $"{s.TotalSeconds:0} s silent" : "")}</td></tr>");
        }

        return table.Append("</tbody></table>").ToString();
    }
}
