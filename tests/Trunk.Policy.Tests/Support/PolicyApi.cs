using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trunk.Policy.Accounts;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Tests.Support;

/// <summary>Test-side helpers that create resources through the admin API and read problem details.</summary>
public static class PolicyApi
{
    public static async Task<Account> CreateAccountAsync(this PolicyHost host, string homeCountry = "US")
    {
        using var response = await host.Http.PostAsJsonAsync(
            "/accounts", new { name = "Acme " + Guid.NewGuid().ToString("N")[..6], homeCountry, currency = "USD" }, PolicyHost.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Account>(PolicyHost.Json))!;
    }

    public static async Task<InboundTrunk> CreateTrunkAsync(this PolicyHost host, Guid accountId, params string[] dids)
    {
        using var response = await host.Http.PostAsJsonAsync(
            $"/accounts/{accountId}/trunks",
            new
            {
                dids,
                terminationUris = new[] { "sip:endpoint@127.0.0.1:5070", "sip:backup@127.0.0.1:5072" },
                carrierGateway = "sip:127.0.0.1:5080",
                ringTimeoutSeconds = 20,
                media = "Passthrough",
            },
            PolicyHost.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboundTrunk>(PolicyHost.Json))!;
    }

    public static async Task TopUpAsync(this PolicyHost host, Guid accountId, decimal amount)
    {
        using var response = await host.Http.PostAsJsonAsync($"/accounts/{accountId}/top-ups", new { amount }, PolicyHost.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static async Task SetRateAsync(this PolicyHost host, string prefix, decimal pricePerMinute)
    {
        using var response = await host.Http.PutAsJsonAsync($"/rates/{prefix}", new { pricePerMinute }, PolicyHost.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task AllowCountryAsync(this PolicyHost host, Guid accountId, string country)
    {
        using var response = await host.Http.PutAsync(new Uri($"/accounts/{accountId}/geo-permissions/countries/{country}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Asserts an RFC 7807 validation problem naming <paramref name="field"/>.</summary>
    public static async Task AssertFieldProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
    }

    /// <summary>A valid San Francisco number, random so that tests do not share DIDs.</summary>
    public static string UniqueUsNumber() => $"+1415{Random.Shared.Next(2_000_000, 9_999_999)}";
}
