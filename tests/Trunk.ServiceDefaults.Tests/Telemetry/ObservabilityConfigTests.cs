using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;
using YamlDotNet.RepresentationModel;

namespace Trunk.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in observability/ name only metrics our code emits
/// (<see cref="TrunkMetrics"/>, each created by some service), and the dashboard shows every one of them: a renamed
/// metric breaks this test, not a dashboard in production.
/// </summary>
public sealed partial class ObservabilityConfigTests
{
    private static readonly string Observability = Path.Combine(RepositoryPaths.Root, "observability");

    /// <summary>PromQL words that are not metric names.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
    };

    private static readonly HashSet<string> OurSeries = TrunkMetrics.All.SelectMany(m => m.PrometheusSeries).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_dashboard_names_only_metrics_our_code_emits()
    {
        var unknown = DashboardExpressions().SelectMany(MetricNames).Where(n => !OurSeries.Contains(n)).Distinct().ToList();

        Assert.True(unknown.Count == 0, "The dashboard names metrics no code emits: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_alert_rules_name_only_metrics_our_code_emits()
    {
        var unknown = AlertExpressions().Values.SelectMany(MetricNames).Where(n => !OurSeries.Contains(n)).Distinct().ToList();

        Assert.True(unknown.Count == 0, "The alert rules name metrics no code emits: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_dashboard_shows_every_metric()
    {
        var named = DashboardExpressions().SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.All(TrunkMetrics.All, metric => Assert.True(metric.PrometheusSeries.Any(named.Contains), $"No panel shows {metric.Name}"));
    }

    [Fact]
    public void The_alert_rules_watch_transfer_failures_no_audio_and_consumer_lag()
    {
        var alerts = AlertExpressions();

        Assert.Contains(TrunkMetrics.SagaTransitions.PrometheusName, MetricNames(alerts["TransferFailureRateHigh"]));
        Assert.Contains(TrunkMetrics.NoAudio.PrometheusName, MetricNames(alerts["NoAudioRateHigh"]));
        Assert.Contains(TrunkMetrics.ConsumerLag.PrometheusName + "_bucket", MetricNames(alerts["BusConsumerLagHigh"]));
    }

    [Fact]
    public void Every_metric_is_created_by_the_code_of_some_service()
    {
        var fields = typeof(TrunkMetrics).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(TrunkMetric)).ToList();
        Assert.Equal(TrunkMetrics.All.Count, fields.Count);
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "services"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "shared"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) != "TrunkMetrics.cs")
            .Select(File.ReadAllText)
            .ToList();

        Assert.All(fields, field => Assert.True(
            sources.Any(s => Regex.IsMatch(s, @"\bTrunkMetrics\." + field.Name + @"\b")),
            $"No code creates an instrument for TrunkMetrics.{field.Name}"));
    }

    [Fact]
    public void Reading_a_PromQL_expression_finds_its_metric_names_and_nothing_else()
    {
        var names = MetricNames(
            "histogram_quantile(0.95, sum by (le, leg) (rate(a_seconds_bucket{leg=~\"x|y\", z!=\"w\"}[5m]))) / on() b_total offset 5m > 0.5 and c");

        Assert.Equal(["a_seconds_bucket", "b_total", "c"], names.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Observability, "grafana", "dashboards", "trunk.json")));
        var expressions = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                expressions.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
            }
        }

        Assert.NotEmpty(expressions);
        return expressions;
    }

    private static Dictionary<string, string> AlertExpressions()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Observability, "alerts.yml"))));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var rules = ((YamlSequenceNode)root["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>());
        return rules.ToDictionary(r => ((YamlScalarNode)r["alert"]).Value!, r => ((YamlScalarNode)r["expr"]).Value!);
    }

    /// <summary>The metric names of a PromQL expression: what is left once strings, label matchers, ranges, grouping
    /// clauses, function calls, keywords and numbers are taken out.</summary>
    private static List<string> MetricNames(string expression)
    {
        var stripped = StringLiteral().Replace(expression, " ");
        stripped = Braces().Replace(stripped, " ");
        stripped = Brackets().Replace(stripped, " ");
        stripped = Grouping().Replace(stripped, " ");
        return Identifier().Matches(stripped)
            .Where(m => !Keywords.Contains(m.Groups["name"].Value) && !m.Groups["call"].Success)
            .Select(m => m.Groups["name"].Value)
            .ToList();
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>A name not glued to a number (the <c>m</c> of <c>5m</c>, the <c>e</c> of <c>1e-9</c>).</summary>
    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
