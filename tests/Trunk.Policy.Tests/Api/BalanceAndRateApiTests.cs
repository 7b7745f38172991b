using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trunk.Policy.Balances;
using Trunk.Policy.Rates;
using Trunk.Policy.Tests.Support;

namespace Trunk.Policy.Tests.Api;

/// <summary>The admin API for top-ups, the balance with its history, and rates.</summary>
public sealed class BalanceAndRateApiTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    [Fact]
    public async Task When_topped_up_twice_with_one_reference_Should_count_it_once_and_show_it_in_the_history()
    {
        var account = await host.CreateAccountAsync();

        await host.TopUpAsync(account.Id, 5m);
        using var first = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/top-ups", new { amount = 2.5m, reference = "inv-1" }, PolicyHost.Json);
        using var repeat = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/top-ups", new { amount = 2.5m, reference = "inv-1" }, PolicyHost.Json);
        var balance = await host.Http.GetFromJsonAsync<BalanceView>($"/accounts/{account.Id}/balance", PolicyHost.Json);
        using var history = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri($"/accounts/{account.Id}/balance/history", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(7.5m, balance!.Available);
        Assert.Equal("USD", balance.Currency);
        var entries = history.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("balance_topped_up", e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2L], entries.Select(e => e.GetProperty("version").GetInt64()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.00001)]
    public async Task When_a_top_up_amount_is_bad_Should_answer_400_naming_amount(decimal amount)
    {
        var account = await host.CreateAccountAsync();

        using var response = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/top-ups", new { amount }, PolicyHost.Json);

        await PolicyApi.AssertFieldProblemAsync(response, "amount");
    }

    [Fact]
    public async Task When_the_account_is_unknown_Should_answer_404_for_top_up_balance_and_history()
    {
        var id = Guid.NewGuid();

        using var topUp = await host.Http.PostAsJsonAsync($"/accounts/{id}/top-ups", new { amount = 1m }, PolicyHost.Json);
        using var balance = await host.Http.GetAsync(new Uri($"/accounts/{id}/balance", UriKind.Relative));
        using var history = await host.Http.GetAsync(new Uri($"/accounts/{id}/balance/history", UriKind.Relative));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { topUp.StatusCode, balance.StatusCode, history.StatusCode });
    }

    [Fact]
    public async Task When_rates_overlap_Should_look_up_the_longest_matching_prefix()
    {
        await host.SetRateAsync("+49", 0.03m);
        await host.SetRateAsync("4930", 0.02m);

        var berlin = await host.Http.GetFromJsonAsync<Rate>("/rates/lookup/+4930901820", PolicyHost.Json);
        var munich = await host.Http.GetFromJsonAsync<Rate>("/rates/lookup/+4989123456", PolicyHost.Json);
        using var none = await host.Http.GetAsync(new Uri("/rates/lookup/+81312345678", UriKind.Relative));

        Assert.Equal(("4930", 0.02m), (berlin!.Id, berlin.PricePerMinute));
        Assert.Equal(("49", 0.03m), (munich!.Id, munich.PricePerMinute));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Theory]
    [InlineData("12a", "prefix")]
    [InlineData("1234567890123456", "prefix")]
    public async Task When_a_rate_prefix_is_bad_Should_answer_400_naming_it(string prefix, string field)
    {
        using var response = await host.Http.PutAsJsonAsync($"/rates/{prefix}", new { pricePerMinute = 0.01m }, PolicyHost.Json);

        await PolicyApi.AssertFieldProblemAsync(response, field);
    }

    [Fact]
    public async Task When_a_rate_price_is_missing_Should_answer_400_naming_pricePerMinute()
    {
        using var response = await host.Http.PutAsJsonAsync("/rates/7", new { }, PolicyHost.Json);

        await PolicyApi.AssertFieldProblemAsync(response, "pricePerMinute");
    }

    [Fact]
    public async Task When_an_unknown_rate_is_deleted_Should_answer_404()
    {
        using var response = await host.Http.DeleteAsync(new Uri("/rates/999999", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task When_the_OpenAPI_document_is_read_Should_describe_every_resource()
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/accounts", paths);
        Assert.Contains("/accounts/{accountId}/trunks", paths);
        Assert.Contains("/trunks/{id}/dids/{number}", paths);
        Assert.Contains("/accounts/{id}/geo-permissions/countries/{country}", paths);
        Assert.Contains("/accounts/{id}/top-ups", paths);
        Assert.Contains("/accounts/{id}/balance/history", paths);
        Assert.Contains("/rates/{prefix}", paths);
    }
}
