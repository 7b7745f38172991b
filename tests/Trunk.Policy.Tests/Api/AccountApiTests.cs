using System.Net;
using System.Net.Http.Json;
using System.Text;
using Trunk.Policy.Accounts;
using Trunk.Policy.Tests.Support;

namespace Trunk.Policy.Tests.Api;

/// <summary>The admin API for accounts and geo permissions, over HTTP against the real PostgreSQL.</summary>
public sealed class AccountApiTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    [Fact]
    public async Task When_an_account_is_created_Should_answer_201_and_read_back_the_same()
    {
        var created = await host.CreateAccountAsync("GB");

        var read = await host.Http.GetFromJsonAsync<Account>($"/accounts/{created.Id}", PolicyHost.Json);

        Assert.Equal((created.Id, created.Name, "GB", "USD"), (read!.Id, read.Name, read.HomeCountry, read.Currency));
        Assert.Empty(read.AllowedCountries);
    }

    [Fact]
    public async Task When_the_account_is_unknown_Should_answer_404_problem()
    {
        using var response = await host.Http.GetAsync(new Uri($"/accounts/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"homeCountry":"US","currency":"USD"}""", "name")]
    [InlineData("""{"name":"x","homeCountry":"ZZ","currency":"USD"}""", "homeCountry")]
    [InlineData("""{"name":"x","homeCountry":"US","currency":"dollars"}""", "currency")]
    [InlineData("""{"name":"x","homeCountry":"US","currency":"USD","webhookUrl":"ftp://x"}""", "webhookUrl")]
    [InlineData("""{"name":"x","homeCountry":"US","currency":"USD","id":"not-a-guid"}""", "id")]
    [InlineData("""{"name":42,"homeCountry":"US","currency":"USD"}""", "name")]
    public async Task When_a_field_is_bad_Should_answer_400_problem_naming_it(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync(new Uri("/accounts", UriKind.Relative), content);

        await PolicyApi.AssertFieldProblemAsync(response, field);
    }

    [Fact]
    public async Task When_the_body_is_not_JSON_Should_answer_400_problem()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync(new Uri("/accounts", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task When_an_account_id_is_taken_Should_answer_409()
    {
        var existing = await host.CreateAccountAsync();

        using var response = await host.Http.PostAsJsonAsync(
            "/accounts", new { id = existing.Id, name = "Again", homeCountry = "US", currency = "USD" }, PolicyHost.Json);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task When_an_account_is_updated_Should_keep_its_geo_permissions()
    {
        var account = await host.CreateAccountAsync();
        await host.AllowCountryAsync(account.Id, "FR");

        using var response = await host.Http.PutAsJsonAsync(
            $"/accounts/{account.Id}", new { name = "Renamed", homeCountry = "US", currency = "USD" }, PolicyHost.Json);
        var updated = await response.Content.ReadFromJsonAsync<Account>(PolicyHost.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Renamed", updated!.Name);
        Assert.Equal(["FR"], updated.AllowedCountries);
    }

    [Fact]
    public async Task When_countries_are_allowed_and_revoked_one_by_one_Should_list_exactly_the_allowed_ones()
    {
        var account = await host.CreateAccountAsync();

        await host.AllowCountryAsync(account.Id, "gb");
        await host.AllowCountryAsync(account.Id, "FR");
        using var revoked = await host.Http.DeleteAsync(new Uri($"/accounts/{account.Id}/geo-permissions/countries/GB", UriKind.Relative));
        var view = await host.Http.GetFromJsonAsync<GeoPermissionsView>($"/accounts/{account.Id}/geo-permissions", PolicyHost.Json);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(["FR"], view!.AllowedCountries);
        Assert.Equal("US", view.HomeCountry);
        Assert.False(view.PremiumAllowed);
    }

    [Fact]
    public async Task When_revoking_the_home_country_Should_answer_400_naming_country()
    {
        var account = await host.CreateAccountAsync();

        using var response = await host.Http.DeleteAsync(new Uri($"/accounts/{account.Id}/geo-permissions/countries/US", UriKind.Relative));

        await PolicyApi.AssertFieldProblemAsync(response, "country");
    }

    [Fact]
    public async Task When_premium_is_enabled_Should_show_it_and_require_a_value()
    {
        var account = await host.CreateAccountAsync();

        using var enabled = await host.Http.PutAsJsonAsync($"/accounts/{account.Id}/geo-permissions/premium", new { enabled = true }, PolicyHost.Json);
        using var missing = await host.Http.PutAsJsonAsync($"/accounts/{account.Id}/geo-permissions/premium", new { }, PolicyHost.Json);
        using var unknown = await host.Http.PutAsJsonAsync($"/accounts/{Guid.NewGuid()}/geo-permissions/premium", new { enabled = true }, PolicyHost.Json);

        Assert.True((await enabled.Content.ReadFromJsonAsync<GeoPermissionsView>(PolicyHost.Json))!.PremiumAllowed);
        await PolicyApi.AssertFieldProblemAsync(missing, "enabled");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
