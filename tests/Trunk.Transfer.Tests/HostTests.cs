using Trunk.Testing;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests;

/// <summary>The Transfer host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("Transfer")
{
    /// <summary>Sharded (the default), Transfer is ready only once the saga's events reach its shards.</summary>
    protected override void AssertDependencies(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Equal("Healthy", report.Check("postgresql").Status);
        Assert.Equal("Healthy", report.Check(SagaRouting.HealthCheckName).Status);
        Assert.Equal(3, report.Checks.Count);
    }
}
