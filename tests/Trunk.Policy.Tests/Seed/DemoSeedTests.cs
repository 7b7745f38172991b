using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trunk.Contracts.Policy;
using Trunk.Policy.Balances;
using Trunk.Policy.Tests.Support;
using Trunk.Testing;

namespace Trunk.Policy.Tests.Seed;

/// <summary>The README demo's data, applied by the real host process in Development, once however often it starts.</summary>
public sealed class DemoSeedTests
{
    private const string AccountId = "00000000-0000-0000-0000-00000000a001";

    [Fact]
    public async Task When_the_host_starts_twice_in_Development_Should_seed_the_demo_once()
    {
        var schema = $"policy_seed_{Guid.NewGuid():N}"[..30];
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Policy__Schema"] = schema,
            ["Policy__QueuePrefix"] = $"test-{schema.Replace('_', '-')}-",
        };
        try
        {
            for (var start = 0; start < 2; start++)
            {
                await using var host = ServiceProcess.Start("Policy", settings);
                await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));

                var trunk = await WaitForDemoTrunkAsync(host);
                var balance = await host.Http.GetFromJsonAsync<BalanceView>($"/accounts/{AccountId}/balance", PolicyHost.Json);
                using var history = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri($"/accounts/{AccountId}/balance/history", UriKind.Relative)));

                Assert.Equal(["sip:endpoint@127.0.0.1:5070"], trunk.TerminationUris);
                Assert.Equal(10m, balance!.Available);
                Assert.Equal(1, history.RootElement.GetArrayLength());
                await host.StopAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            await PolicyHost.DropSchemaAsync(schema);
        }
    }

    private static async Task<TrunkSettings> WaitForDemoTrunkAsync(ServiceProcess host)
    {
        for (var i = 0; i < 120; i++)
        {
            using var response = await host.Http.GetAsync(new Uri("/dids/+14155550100", UriKind.Relative));
            using var balance = await host.Http.GetAsync(new Uri($"/accounts/{AccountId}/balance/history", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK && (await balance.Content.ReadAsStringAsync()).Contains("demo-seed", StringComparison.Ordinal))
            {
                return (await response.Content.ReadFromJsonAsync<TrunkSettings>(PolicyHost.Json))!;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The demo trunk never appeared.\n{host.Output}");
    }
}
