using YamlDotNet.RepresentationModel;

namespace Trunk.EndToEnd.Tests.Deployment;

/// <summary>
/// infra/k8s is what operators apply: every overlay renders with kubectl kustomize, every workload has its probes on the
/// health endpoints and its resources, credentials come only from Secrets, and the scale-out pieces (HPAs, PDBs,
/// Kamailio's Call-ID dispatcher over every Signaling instance) are there and agree with each other.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] Services = ["signaling", "transfer", "policy", "media", "callhistory", "webhooks"];

    public static TheoryData<string> Overlays => new() { "dev", "prod" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_overlay_renders_every_service(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        var workloads = Workloads(manifests).Select(w => w.Text("metadata", "name")).ToList();
        Assert.All(Services, service => Assert.Contains(service, workloads));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_has_liveness_and_readiness_probes_and_resource_requests_and_limits(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        foreach (var (workload, container) in Containers(manifests))
        {
            var name = $"{overlay}/{workload.Text("metadata", "name")}/{container.Text("name")}";
            Assert.True(container.At("livenessProbe") is not null, $"{name} has no liveness probe");
            Assert.True(container.At("readinessProbe") is not null, $"{name} has no readiness probe");
            foreach (var setting in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.False(string.IsNullOrEmpty(container.Text("resources", setting, resource)), $"{name} has no {setting}.{resource}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_services_are_probed_on_health_live_and_health_ready_at_a_port_they_declare(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        foreach (var (workload, container) in Containers(manifests).Where(c => Services.Contains(c.Workload.Text("metadata", "name"))))
        {
            var name = $"{overlay}/{workload.Text("metadata", "name")}";
            Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
            var ports = container.Items("ports").Select(p => p.Text("name")).ToList();
            Assert.True(ports.Contains(container.Text("livenessProbe", "httpGet", "port")), $"{name} probes a port it does not declare");
            Assert.True(ports.Contains(container.Text("readinessProbe", "httpGet", "port")), $"{name} probes a port it does not declare");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Credentials_come_from_Secrets_and_never_from_plain_values(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        var secretKeys = new List<string>();
        foreach (var (workload, container) in Containers(manifests))
        {
            foreach (var env in container.Items("env"))
            {
                var name = env.Text("name") ?? "";
                if (env.Text("valueFrom", "secretKeyRef", "name") is { } secret)
                {
                    secretKeys.Add($"{name}={secret}");
                    continue;
                }

                Assert.False(name.Contains("Password", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ConnectionStrings", StringComparison.Ordinal),
                    $"{overlay}/{workload.Text("metadata", "name")}: {name} is not read from a Secret");
                Assert.DoesNotContain("Password=", env.Text("value") ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var configMap in manifests.Where(m => m.Text("kind") == "ConfigMap"))
        {
            Assert.All(configMap.Entries("data"), entry =>
                Assert.False(entry.Key.Contains("Password", StringComparison.OrdinalIgnoreCase), $"{overlay}: ConfigMap holds {entry.Key}"));
        }

        Assert.Contains(secretKeys, k => k.StartsWith("RabbitMq__Password=trunk-rabbitmq", StringComparison.Ordinal));
        Assert.Contains(secretKeys, k => k.StartsWith("ConnectionStrings__Postgres=trunk-postgres", StringComparison.Ordinal));
        Assert.Equal(3, secretKeys.Count(k => k.StartsWith("Api__Keys__0=trunk-api", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dev_generates_its_placeholder_Secrets_and_every_reference_finds_one()
    {
        var manifests = await RenderAsync("dev");

        var secrets = manifests.Where(m => m.Text("kind") == "Secret").Select(m => m.Text("metadata", "name")).ToHashSet();
        var references = Containers(manifests).SelectMany(c => c.Container.Items("env"))
            .Select(e => e.Text("valueFrom", "secretKeyRef", "name")).OfType<string>().ToHashSet();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, secrets));
    }

    [Fact]
    public async Task Prod_holds_no_Secret_its_secret_store_provides_them()
    {
        var manifests = await RenderAsync("prod");

        Assert.DoesNotContain(manifests, m => m.Text("kind") == "Secret");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Transfer_Policy_and_CallHistory_scale_by_HPA_and_every_workload_has_a_disruption_budget(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        var workloads = Workloads(manifests).ToList();
        var autoscaled = manifests.Where(m => m.Text("kind") == "HorizontalPodAutoscaler").ToList();
        foreach (var service in new[] { "transfer", "policy", "callhistory" })
        {
            var hpa = Assert.Single(autoscaled, h => h.Text("spec", "scaleTargetRef", "name") == service);
            Assert.Equal("Deployment", hpa.Text("spec", "scaleTargetRef", "kind"));
            Assert.Contains(workloads, w => w.Text("kind") == "Deployment" && w.Text("metadata", "name") == service);
        }

        var budgets = manifests.Where(m => m.Text("kind") == "PodDisruptionBudget").ToList();
        foreach (var workload in workloads)
        {
            var podLabels = workload.Entries("spec", "template", "metadata", "labels").ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value);
            Assert.True(
                budgets.Any(b => b.Entries("spec", "selector", "matchLabels").All(l => podLabels.GetValueOrDefault(l.Key) == ((YamlScalarNode)l.Value).Value)),
                $"{overlay}/{workload.Text("metadata", "name")} has no PodDisruptionBudget");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Signaling_and_Media_use_the_nodes_network_for_SIP_and_RTP(string overlay)
    {
        var manifests = await RenderAsync(overlay);

        foreach (var service in new[] { "signaling", "media" })
        {
            var workload = Assert.Single(Workloads(manifests), w => w.Text("metadata", "name") == service);
            Assert.Equal("true", workload.Text("spec", "template", "spec", "hostNetwork"));
        }
    }

    [Fact]
    public async Task Prod_puts_Kamailio_in_front_dispatching_by_Call_ID_hash_over_every_Signaling_instance()
    {
        var manifests = await RenderAsync("prod");

        var signaling = Assert.Single(Workloads(manifests), w => w.Text("metadata", "name") == "signaling");
        Assert.Equal("StatefulSet", signaling.Text("kind"));
        var replicas = int.Parse(signaling.Text("spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture);
        var headless = signaling.Text("spec", "serviceName");
        var namespaceName = signaling.Text("metadata", "namespace");
        Assert.True(replicas > 1, "prod runs several Signaling instances");

        var kamailio = Assert.Single(Workloads(manifests), w => w.Text("metadata", "name") == "kamailio");
        var configName = kamailio.Items("spec", "template", "spec", "volumes").Select(v => v.Text("configMap", "name")).OfType<string>().Single();
        var config = Assert.Single(manifests, m => m.Text("kind") == "ConfigMap" && m.Text("metadata", "name") == configName);
        var cfg = config.Text("data", "kamailio.cfg")!;
        Assert.Contains("ds_select_dst(\"1\", \"0\")", cfg, StringComparison.Ordinal);
        Assert.Contains("record_route()", cfg, StringComparison.Ordinal);
        Assert.Contains("loose_route()", cfg, StringComparison.Ordinal);
        Assert.Contains("/etc/kamailio/dispatcher.list", cfg, StringComparison.Ordinal);

        var destinations = config.Text("data", "dispatcher.list")!.Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var expected = Enumerable.Range(0, replicas).Select(i => $"1 sip:signaling-{i}.{headless}.{namespaceName}.svc.cluster.local:5060");
        Assert.Equal(expected, destinations.Select(d => string.Join(' ', d.Split(' ').Take(2))));
    }

    private static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string overlay)
    {
        var (exitCode, output, error) = await Kubectl.KustomizeAsync(overlay);
        Assert.True(exitCode == 0, $"kubectl kustomize {overlay} failed: {error}");
        return Yaml.Documents(output);
    }

    private static IEnumerable<YamlMappingNode> Workloads(IEnumerable<YamlMappingNode> manifests) =>
        manifests.Where(m => m.Text("kind") is "Deployment" or "StatefulSet" or "DaemonSet");

    private static IEnumerable<(YamlMappingNode Workload, YamlNode Container)> Containers(IEnumerable<YamlMappingNode> manifests) =>
        Workloads(manifests).SelectMany(w => w.Items("spec", "template", "spec", "containers").Select(c => (w, c)));
}
