using System.Globalization;
using System.Text;

namespace Trunk.CallHistory.Pages;

/// <summary>A horizontal SVG bar chart: one labelled bar per row, scaled to the largest value, the value at the bar's end.</summary>
public static class BarChart
{
    private const int LabelWidth = 240;
    private const int BarArea = 420;
    private const int RowHeight = 24;

    public static string Svg(string id, string title, IReadOnlyList<(string Label, long Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return $"<p class=\"muted\" id=\"{id}\">{Html.Encode(title)}: nothing in this range.</p>";
        }

        var max = Math.Max(1, rows.Max(r => r.Value));
        var height = 30 + RowHeight * rows.Count;
        var width = LabelWidth + BarArea + 60;
        var svg = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Html.Encode(title)}\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"18\" font-weight=\"600\" font-size=\"13\">{Html.Encode(title)}</text>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = 30 + RowHeight * i;
            var bar = Math.Max(2, (int)(BarArea * value / max));
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"bar\" data-label=\"{Html.Encode(label)}\" data-value=\"{value}\">")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\">{Html.Encode(label)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{bar}\" height=\"{RowHeight - 7}\" fill=\"#4a78c2\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + bar + 6}\" y=\"{y + 15}\" font-size=\"12\">{value}</text></g>");
        }

        return svg.Append("</svg>").ToString();
    }
}
