using System.Net;
using System.Net.Http.Json;
using Trunk.Webhooks.Subscriptions;
using Trunk.Webhooks.Tests.Support;

namespace Trunk.Webhooks.Tests.Subscriptions;

[Collection(HostCollection.Name)]
public sealed class SubscriptionsApiTests(WebhooksHost host)
{
    [Theory]
    [InlineData("not a url", "whsec-0123456789abcdef", "url")]
    [InlineData("ftp://example.com/hook", "whsec-0123456789abcdef", "url")]
    [InlineData("https://example.com/hook", "short", "secret")]
    [InlineData("https://example.com/hook", null, "secret")]
    public async Task When_a_subscription_is_invalid_Should_answer_400_naming_the_field(string url, string? secret, string field)
    {
        using var response = await host.Http.PutAsJsonAsync(new Uri($"/webhooks/accounts/{Guid.NewGuid()}", UriKind.Relative), new { url, secret });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>();
        Assert.Equal([field], problem!.Errors.Keys);
    }

    [Fact]
    public async Task When_a_subscription_is_set_read_and_deleted_Should_never_show_the_secret_and_then_answer_404()
    {
        var path = new Uri($"/webhooks/accounts/{Guid.NewGuid()}", UriKind.Relative);
        using var put = await host.Http.PutAsJsonAsync(path, new { url = "https://example.com/hook", secret = "whsec-0123456789abcdef" });
        put.EnsureSuccessStatusCode();

        var body = await host.Http.GetStringAsync(path);
        Assert.Contains("https://example.com/hook", body, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec", body, StringComparison.Ordinal);
        using var delete = await host.Http.DeleteAsync(path);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await host.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task When_dead_letters_are_filtered_by_a_bad_account_Should_answer_400()
    {
        using var response = await host.Http.GetAsync(new Uri("/webhooks/dead-letters?account=nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task When_the_openapi_document_is_read_Should_describe_the_subscription_routes()
    {
        var document = await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("/webhooks/accounts/{id}", document, StringComparison.Ordinal);
        Assert.Contains(nameof(WebhookSubscriptionView), document, StringComparison.Ordinal);
    }
}
