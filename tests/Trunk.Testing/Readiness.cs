using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Trunk.ServiceDefaults;

namespace Trunk.Testing;

/// <summary>What <c>/health/ready</c> answers, asked of a host in the test's process: the bus connected, the database reachable, and whatever the service declares (Transfer's saga routing).</summary>
public static class Readiness
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task WaitAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var health = services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag)).ConfigureAwait(false);
            if (report.Status == HealthStatus.Healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}");
                throw new InvalidOperationException($"The host was not ready after {Patience.TotalSeconds} s: {string.Join("; ", failing)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        }
    }
}
