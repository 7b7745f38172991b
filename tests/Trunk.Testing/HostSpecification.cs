using System.Net;

namespace Trunk.Testing;

/// <summary>
/// What every trunk host promises (issue 2): it starts against the real broker, says when it is ready and which
/// dependency is not, refuses to start on a missing setting, and stops on SIGTERM within 10 s. Each service's test
/// project runs these against its own host by deriving from this class.
/// </summary>
public abstract class HostSpecification(string service)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    protected string Service { get; } = service;

    /// <summary>
    /// The hosts started here run on a virtual host of their own: their durable queues outlive the process and
    /// would otherwise collect the messages the project's other tests publish.
    /// </summary>
    protected static string HostVirtualHost => TestInfrastructure.RabbitVirtualHost + "-hosts";

    /// <summary>Starts the service on <see cref="HostVirtualHost"/> with <paramref name="settings"/> on top.</summary>
    protected ServiceProcess StartHost(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["RabbitMq__VirtualHost"] = HostVirtualHost };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ServiceProcess.Start(Service, all);
    }

    [Fact]
    public async Task When_started_against_real_servers_Should_report_ready_and_stop_on_SIGTERM_within_10_seconds()
    {
        await using var host = StartHost();

        var report = await host.WaitForReadinessAsync(r => r.Status == "Healthy", StartTimeout);
        Assert.Equal(Service.ToLowerInvariant(), report.Service);
        Assert.Equal("Healthy", report.Check("rabbitmq").Status);
        AssertDependencies(report);
        Assert.Contains("RabbitMQ 127.0.0.1:", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestInfrastructure.RabbitPassword + "@", host.Output, StringComparison.Ordinal);

        var stopping = await host.StopAsync(StopLimit);
        Assert.True(host.HasExited, $"{Service} still runs {stopping} after SIGTERM");
        Assert.Equal(0, host.ExitCode);
        Assert.True(stopping < StopLimit, $"{Service} took {stopping} to stop");
    }

    /// <summary>Development validates the container (scoped services held by singletons): scripts/start-trunk runs it.</summary>
    [Fact]
    public async Task When_started_in_Development_as_scripts_start_trunk_does_Should_report_ready()
    {
        await using var host = StartHost(("ASPNETCORE_ENVIRONMENT", "Development"));

        // A host that stops at start (its container refused) fails the wait with its output.
        var report = await host.WaitForReadinessAsync(r => r.Status == "Healthy", StartTimeout);
        Assert.Equal("Healthy", report.Status);
    }

    [Fact]
    public async Task When_the_RabbitMQ_password_is_wrong_Should_report_not_ready_naming_rabbitmq()
    {
        await using var host = StartHost(("RabbitMq__Password", "not-the-password"));

        var report = await host.WaitForReadinessAsync(r => r.Check("rabbitmq").Status == "Unhealthy", StartTimeout);
        Assert.Equal("Unhealthy", report.Status);
        using var response = await host.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var live = await host.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public Task When_a_required_setting_is_missing_Should_exit_non_zero_naming_it() =>
        AssertRefusedAsync(("RabbitMq__Password", ""), "RabbitMq:Password is required.");

    [Fact]
    public Task When_a_setting_is_not_a_number_Should_exit_78_naming_it() =>
        AssertRefusedAsync(("RabbitMq__Port", "five"), "Failed to convert configuration value 'five' at 'RabbitMq:Port' to type 'System.Int32'.");

    /// <summary>Starts the host with a bad setting: it exits 78 with <paramref name="message"/> and no stack trace.</summary>
    protected async Task AssertRefusedAsync((string Key, string? Value) setting, string message)
    {
        await using var host = StartHost(setting);

        var exitCode = await host.WaitForExitAsync(StartTimeout);
        Assert.Equal(78, exitCode);
        Assert.Contains(message, host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_ready_Should_serve_its_metrics_to_Prometheus_at_metrics()
    {
        await using var host = StartHost();
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", StartTimeout);

        var scrape = await PrometheusScrape.WaitAsync(host.Http, s => s.Names.Contains("http_server_request_duration_seconds_count"),
            TimeSpan.FromSeconds(10));

        Assert.Contains(scrape.Find("target_info"), t => t.Contains($"service_name=\"{Service.ToLowerInvariant()}\"", StringComparison.Ordinal));
        Assert.Contains("http_server_request_duration_seconds_count", scrape.Names);
    }

    /// <summary>Checks the service's other dependencies in a healthy report.</summary>
    protected virtual void AssertDependencies(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Single(report.Checks);
    }
}
