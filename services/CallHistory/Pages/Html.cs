using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Trunk.CallHistory.Pages;

/// <summary>The page frame shared by every page (navigation, styles) and HTML encoding; pages are plain server-rendered HTML and SVG.</summary>
public static class Html
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
        header a{color:#cfe0ff;text-decoration:none}header strong{margin-right:20px}
        main{padding:16px 20px}h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:20px 0 8px}
        table{border-collapse:collapse;background:#fff;width:100%}th,td{border-bottom:1px solid #e2e5ea;padding:5px 8px;text-align:left;vertical-align:top}
        th{background:#eef1f5;font-weight:600}form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
        form.filters label{display:flex;flex-direction:column;font-size:12px}input,select{padding:4px}
        .errors{background:#fde8e8;border:1px solid #e0a0a0;padding:8px 12px;margin-bottom:12px}
        .cause{font-family:ui-monospace,monospace}.muted{color:#6b7385}dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}
        dt{font-weight:600}svg{background:#fff;border:1px solid #e2e5ea}pre{background:#fff;border:1px solid #e2e5ea;padding:8px;overflow:auto}
        .metric{display:inline-block;background:#fff;border:1px solid #e2e5ea;padding:8px 14px;margin:0 8px 8px 0}
        .metric b{display:block;font-size:20px}
        """;

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "";

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title))
            .Append(" · CallHistory</title><style>").Append(Style).Append("</style></head><body><header><strong>CallHistory</strong>")
            .Append("<a href=\"/ui/calls\">Calls</a><a href=\"/ui/analysis/hangups\">Hangup analysis</a><a href=\"/openapi/v1.json\">API</a>")
            .Append("</header><main>").Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>The errors of a bad filter, shown above the form (the page answers 400).</summary>
    public static string Errors(Dictionary<string, string[]> errors) =>
        errors.Count == 0
            ? ""
            : "<div class=\"errors\" role=\"alert\"><b>Invalid filters</b><ul>"
              + string.Concat(errors.SelectMany(e => e.Value.Select(m => $"<li data-field=\"{Encode(e.Key)}\">{Encode(m)}</li>")))
              + "</ul></div>";

    public static string Input(string name, string label, string? value, string type = "text") =>
        $"<label>{Encode(label)}<input name=\"{name}\" type=\"{type}\" value=\"{Encode(value)}\"></label>";
}
