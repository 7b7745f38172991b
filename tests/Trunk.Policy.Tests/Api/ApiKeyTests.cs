using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Trunk.Testing;

namespace Trunk.Policy.Tests.Api;

/// <summary>
/// The admin API moves money and routes calls: with <c>Api:Keys</c> set it answers only a request that brings one of
/// them, while the probes and the Prometheus scrape stay open. The Policy process runs as deployed, on the test
/// servers' second virtual host.
/// </summary>
public sealed class ApiKeyTests
{
    private const string Key = "3f9c2a7e5b1d4c8f9a0b6e2d7c1f4a93";
    private const string RotatedKey = "new-key-0123456789abcdef-rotated";

    [Fact]
    public async Task When_keys_are_set_Should_answer_only_requests_that_bring_one_and_keep_the_probes_open()
    {
        await using var host = Start(("Api__Keys__0", Key), ("Api__Keys__1", RotatedKey));
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));

        using (var refused = await GetAsync(host, "/accounts"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("An API key is required", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, "/accounts", r => r.Headers.Authorization = new("Bearer", Key + "x")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, "/accounts", r => r.Headers.Add("X-Api-Key", Key[..^1])));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/accounts", r => r.Headers.Authorization = new("Bearer", Key)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/accounts", r => r.Headers.Add("X-Api-Key", RotatedKey)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/accounts", r => r.Headers.Authorization = Basic("operator", Key)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, "/accounts", r => r.Headers.Authorization = Basic(Key, "wrong")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/health/ready", _ => { }));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/metrics", _ => { }));
        Assert.Contains("Refused GET /accounts from 127.0.0.1: no valid API key", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_key_is_set_Should_stay_open_and_say_so_at_start()
    {
        await using var host = Start();
        await host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/accounts", _ => { }));
        Assert.Contains("Api:Keys is empty: this service's HTTP API is open", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_key_is_too_short_Should_exit_non_zero_naming_it()
    {
        await using var host = Start(("Api__Keys__0", "short"));

        Assert.Equal(78, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Api:Keys:0 must be at least 16 characters (was 5).", host.Output, StringComparison.Ordinal);
    }

    private static ServiceProcess Start(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["RabbitMq__VirtualHost"] = TestInfrastructure.RabbitVirtualHost + "-hosts",
            ["Policy__SeedDemoData"] = "false",
            // Its requests read the accounts' tables, which a fresh database (CI's first run) has only once a host creates them.
            ["Postgres__ApplySchemaOnStart"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ServiceProcess.Start("Policy", all);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static Task<HttpResponseMessage> GetAsync(ServiceProcess host, string path, Action<HttpRequestMessage>? prepare = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        prepare?.Invoke(request);
        return host.Http.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(ServiceProcess host, string path, Action<HttpRequestMessage> prepare)
    {
        using var response = await GetAsync(host, path, prepare);
        return response.StatusCode;
    }
}
