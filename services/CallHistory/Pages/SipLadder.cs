using System.Globalization;
using System.Text;
using Trunk.CallHistory.SipTraces;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.Pages;

/// <summary>
/// A SIP ladder (sequence) diagram of every leg of a call, as sngrep and Homer draw it: one lifeline per peer address
/// (the caller's on the left, the trunk in the middle, endpoints and targets on the right), one arrow per message in
/// wire order, labelled with its start line and time since the first message; hovering an arrow shows the message.
/// </summary>
public static class SipLadder
{
    private const string TrunkKey = "trunk";
    private const int Gutter = 90;
    private const int ColumnWidth = 230;
    private const int Top = 56;
    private const int RowHeight = 30;
    private const int LabelLength = 46;

    public static string Svg(SipTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var columns = Columns(trace);
        var width = Gutter + ColumnWidth * columns.Count;
        var height = Top + RowHeight * (trace.Messages.Count + 1);
        var svg = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"SIP ladder diagram\">")
            .Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>");
        for (var i = 0; i < columns.Count; i++)
        {
            var x = X(i);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"lifeline\" data-column=\"{Html.Encode(columns[i].Key)}\">")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"20\" text-anchor=\"middle\" font-weight=\"600\" font-size=\"13\">{Html.Encode(columns[i].Title)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"36\" text-anchor=\"middle\" font-size=\"11\" fill=\"#6b7385\">{Html.Encode(columns[i].Address)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{Top - 12}\" x2=\"{x}\" y2=\"{height - 6}\" stroke=\"#c3c8d2\" stroke-dasharray=\"4 3\"/></g>");
        }

        var first = trace.Messages.Count > 0 ? trace.Messages[0].At : default;
        var trunk = columns.FindIndex(c => c.Key == TrunkKey);
        for (var row = 0; row < trace.Messages.Count; row++)
        {
            var message = trace.Messages[row];
            var peer = columns.FindIndex(c => c.Key == PeerKey(message));
            var (from, to) = message.Direction == SipDirection.Sent ? (X(trunk), X(peer)) : (X(peer), X(trunk));
            var y = Top + RowHeight * (row + 1);
            var startLine = StartLine(message.Raw);
            var label = startLine.Length > LabelLength ? startLine[..LabelLength] + "…" : startLine;
            var elapsed = (message.At - first).TotalSeconds.ToString("+0.000's'", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"message\" data-leg=\"{message.Leg.ToString().ToLowerInvariant()}\" data-direction=\"{message.Direction.ToString().ToLowerInvariant()}\">")
                .Append("<title>").Append(Html.Encode(message.Raw)).Append("</title>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"{y + 4}\" font-size=\"11\" fill=\"#6b7385\">{elapsed}</text>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{from}\" y1=\"{y}\" x2=\"{to}\" y2=\"{y}\" stroke=\"{Colour(message.Leg)}\" stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{(from + to) / 2}\" y=\"{y - 5}\" text-anchor=\"middle\" font-size=\"11.5\" fill=\"{Colour(message.Leg)}\">{Html.Encode(label)}</text></g>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The first line of a SIP message: its request line or status line.</summary>
    public static string StartLine(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var end = raw.IndexOfAny(['\r', '\n']);
        return end < 0 ? raw : raw[..end];
    }

    private static int X(int column) => Gutter + ColumnWidth * column + ColumnWidth / 2;

    private static string PeerKey(TracedSipMessage message) => $"{message.Leg}|{message.RemoteAddress}";

    private static string Colour(LegSide leg) => leg switch
    {
        LegSide.Caller => "#2b6cb0",
        LegSide.Endpoint => "#2f855a",
        _ => "#b7791f",
    };

    private static List<(string Key, string Title, string Address)> Columns(SipTrace trace)
    {
        var peers = trace.Messages.Select(m => (Key: PeerKey(m), m.Leg, m.RemoteAddress)).Distinct().ToList();
        var trunkAddresses = string.Join(", ", trace.Messages.Select(m => m.LocalAddress).Distinct());
        return
        [
            .. peers.Where(p => p.Leg == LegSide.Caller).Select(p => (p.Key, "Caller", p.RemoteAddress)),
            (TrunkKey, "Trunk", trunkAddresses),
            .. peers.Where(p => p.Leg == LegSide.Endpoint).Select(p => (p.Key, "Endpoint", p.RemoteAddress)),
            .. peers.Where(p => p.Leg == LegSide.Target).Select(p => (p.Key, "Target", p.RemoteAddress)),
        ];
    }
}
