using System.Diagnostics;
using Trunk.Testing;
using YamlDotNet.RepresentationModel;

namespace Trunk.EndToEnd.Tests.Deployment;

/// <summary>docker-compose.yml is what users run: it must validate and hold the whole trunk.</summary>
public sealed class ComposeTests
{
    private static readonly string[] TrunkServices = ["callhistory", "media", "policy", "signaling", "transfer"];

    [Fact]
    public async Task The_compose_file_validates()
    {
        var (exitCode, output) = await DockerCompose("config", "-q");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_compose_file_runs_the_five_services_with_their_dependencies_Jaeger_the_collector_and_dashboards()
    {
        var (exitCode, output) = await DockerCompose("config", "--services");

        Assert.Equal(0, exitCode);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["callhistory", "grafana", "jaeger", "media", "otel-collector", "policy", "postgres", "prometheus", "rabbitmq", "signaling", "transfer", "webhooks"],
            services.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SIP_is_published_on_UDP_and_TCP_and_Media_publishes_its_whole_RTP_port_range()
    {
        var services = await ConfiguredServicesAsync();

        var sip = Published(services["signaling"]);
        Assert.Contains((5060, "udp"), sip);
        Assert.Contains((5060, "tcp"), sip);

        var media = services["media"];
        var min = int.Parse(Environment(media)["Media__PortMin"], System.Globalization.CultureInfo.InvariantCulture);
        var max = int.Parse(Environment(media)["Media__PortMax"], System.Globalization.CultureInfo.InvariantCulture);
        var rtp = Published(media);
        Assert.All(Enumerable.Range(min, max - min + 1), port => Assert.Contains((port, "udp"), rtp));
    }

    [Fact]
    public async Task Every_service_is_health_checked_on_health_ready_and_Signaling_starts_after_the_others_are_healthy()
    {
        var services = await ConfiguredServicesAsync();

        foreach (var name in TrunkServices)
        {
            var test = string.Join(' ', services[name].Items("healthcheck", "test").Select(t => ((YamlScalarNode)t).Value));
            Assert.Contains("/health/ready", test, StringComparison.Ordinal);
        }

        var signaling = services["signaling"].Entries("depends_on").ToDictionary(d => d.Key, d => d.Value.Text("condition"));
        foreach (var dependency in TrunkServices.Where(s => s != "signaling").Append("rabbitmq"))
        {
            Assert.Equal("service_healthy", signaling[dependency]);
        }
    }

    [Fact]
    public async Task Every_service_sends_its_telemetry_to_the_collector_which_sends_traces_to_Jaeger()
    {
        var services = await ConfiguredServicesAsync();

        Assert.All(TrunkServices, name => Assert.Equal("http://otel-collector:4317", Environment(services[name])["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        var collector = Yaml.Documents(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "observability", "otel-collector.yaml"))).Single();
        Assert.NotNull(collector.At("receivers", "otlp", "protocols", "grpc"));
        Assert.Equal("jaeger:4317", collector.Text("exporters", "otlp/jaeger", "endpoint"));
        Assert.Contains("otlp/jaeger", collector.Items("service", "pipelines", "traces", "exporters").Select(e => ((YamlScalarNode)e).Value));
    }

    private static async Task<Dictionary<string, YamlNode>> ConfiguredServicesAsync()
    {
        var (exitCode, output) = await DockerCompose("config");
        Assert.True(exitCode == 0, output);
        return Yaml.Documents(output).Single().Entries("services").ToDictionary(s => s.Key, s => s.Value);
    }

    private static Dictionary<string, string> Environment(YamlNode service) =>
        service.Entries("environment").ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value ?? "");

    /// <summary>Published (port, protocol) pairs; a range (<c>"30000-30199"</c>) counts as each of its ports.</summary>
    private static HashSet<(int Port, string Protocol)> Published(YamlNode service)
    {
        var published = new HashSet<(int, string)>();
        foreach (var port in service.Items("ports"))
        {
            var protocol = port.Text("protocol") ?? "tcp";
            var bounds = (port.Text("published") ?? "").Split('-').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            for (var p = bounds[0]; p <= bounds[^1]; p++)
            {
                published.Add((p, protocol));
            }
        }

        return published;
    }

    private static async Task<(int ExitCode, string Output)> DockerCompose(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
