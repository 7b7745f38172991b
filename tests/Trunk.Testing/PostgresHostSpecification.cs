namespace Trunk.Testing;

/// <summary>
/// <see cref="HostSpecification"/> for the hosts that keep state in PostgreSQL; <paramref name="readyOnlyWith"/> names the
/// host's own readiness checks besides the bus and PostgreSQL (a host is ready only once each of them is).
/// </summary>
public abstract class PostgresHostSpecification(string service, params string[] readyOnlyWith) : HostSpecification(service)
{
    [Fact]
    public async Task When_PostgreSQL_is_unreachable_Should_report_not_ready_naming_postgresql()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Tcp()};Database=trunk;Username=trunk;Password=trunk";
        await using var host = StartHost(("ConnectionStrings__Postgres", unreachable));

        var report = await host.WaitForReadinessAsync(
            r => r.Check("postgresql").Status == "Unhealthy" && r.Check("rabbitmq").Status == "Healthy",
            TimeSpan.FromSeconds(60));
        Assert.Equal("Unhealthy", report.Status);
        Assert.Contains("unreachable", report.Check("postgresql").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_PostgreSQL_connection_string_is_missing_Should_exit_non_zero_naming_it()
    {
        await using var host = StartHost(("ConnectionStrings__Postgres", ""));

        Assert.Equal(78, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Postgres is required.", host.Output, StringComparison.Ordinal);
    }

    protected override void AssertDependencies(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Equal("Healthy", report.Check("postgresql").Status);
        Assert.All(readyOnlyWith, check => Assert.Equal("Healthy", report.Check(check).Status));
        Assert.Equal(2 + readyOnlyWith.Length, report.Checks.Count);
    }
}
