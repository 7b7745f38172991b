using Trunk.CallHistory.Recording;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests;

/// <summary>The CallHistory host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("CallHistory")
{
    /// <summary>CallHistory is ready only once it reads its event queue.</summary>
    protected override void AssertDependencies(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Equal("Healthy", report.Check("postgresql").Status);
        Assert.Equal("Healthy", report.Check(CallEventQueue.HealthCheckName).Status);
        Assert.Equal(3, report.Checks.Count);
    }
}
