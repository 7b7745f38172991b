using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>What an operator does through Policy's admin API before calls arrive: accounts, trunks, DIDs, money, countries.</summary>
internal static class PolicyAdmin
{
    /// <summary>A US DID nobody else's test uses.</summary>
    public static string NewDid() => "+1415" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A trunk domain of its own: REFERs must name it.</summary>
    public static string NewDomain() => $"t{Guid.NewGuid():N}"[..12] + ".e2e.trunk.example";

    public static async Task SetRateAsync(HttpClient policy, string prefix, decimal pricePerMinute) =>
        await SendAsync(policy, HttpMethod.Put, $"/rates/{prefix}", new { pricePerMinute, description = "end to end" });

    /// <summary>A US account (its home country always allowed) with <paramref name="balance"/> topped up when positive.</summary>
    public static async Task<Guid> CreateAccountAsync(HttpClient policy, decimal balance)
    {
        var account = await SendAsync(policy, HttpMethod.Post, "/accounts/",
            new { name = "End to end " + Guid.NewGuid().ToString("N")[..8], homeCountry = "US", currency = "USD" });
        var id = account.GetProperty("id").GetGuid();
        if (balance > 0)
        {
            await SendAsync(policy, HttpMethod.Post, $"/accounts/{id}/top-ups", new { amount = balance, reference = "end-to-end" });
        }

        return id;
    }

    public static async Task AllowCountryAsync(HttpClient policy, Guid accountId, string country) =>
        await SendAsync(policy, HttpMethod.Put, $"/accounts/{accountId}/geo-permissions/countries/{country}", null);

    /// <summary>
    /// A trunk of its own domain with one DID, the endpoint as its termination URI and the target behind its carrier
    /// gateway; <paramref name="media"/> is <c>Passthrough</c> or <c>Anchored</c>.
    /// </summary>
    public static async Task CreateTrunkAsync(
        HttpClient policy, Guid accountId, string domain, string did, string endpointUri, string gatewayUri, int ringTimeoutSeconds,
        string media = "Passthrough") =>
        await SendAsync(policy, HttpMethod.Post, $"/accounts/{accountId}/trunks/", new
        {
            domain,
            dids = new[] { did },
            terminationUris = new[] { endpointUri },
            carrierGateway = gatewayUri,
            ringTimeoutSeconds,
            media,
            callsPerSecond = 50,
            sipTraceEnabled = true,
        });

    private static async Task<JsonElement> SendAsync(HttpClient policy, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        using var response = await policy.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
