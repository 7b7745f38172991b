using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trunk.Contracts.Transfers;
using Trunk.Webhooks.Tests.Support;

namespace Trunk.Webhooks.Tests.Delivery;

/// <summary>The Webhooks host as it runs by default: webhooks go to public addresses only.</summary>
public sealed class PublicOnlyWebhooksHost : WebhooksHost
{
    protected override bool AllowPrivateNetworks => false;
}

[CollectionDefinition(Name)]
public sealed class PublicOnlyHostCollection : ICollectionFixture<PublicOnlyWebhooksHost>
{
    public const string Name = "Webhooks host, public addresses only";
}

/// <summary>
/// A webhook URL is the account's to choose: it must not reach into the operator's networks (the trunk's own admin
/// APIs on loopback, a cloud's metadata service at 169.254.169.254).
/// </summary>
[Collection(PublicOnlyHostCollection.Name)]
public sealed class PrivateNetworkTests(PublicOnlyWebhooksHost host)
{
    private const string Secret = "whsec-0123456789abcdef";

    [Theory]
    [InlineData("http://127.0.0.1:8083/accounts")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("http://[::1]:8085/calls")]
    [InlineData("http://[::ffff:192.168.1.10]/hooks")]
    public async Task When_the_URL_is_a_private_address_Should_answer_400_naming_the_url(string url)
    {
        using var response = await host.Http.PutAsJsonAsync(new Uri($"/webhooks/accounts/{Guid.NewGuid()}", UriKind.Relative), new { url, secret = Secret });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("private", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>A name is checked when it is called, against the address connected to: localhost is loopback.</summary>
    [Fact]
    public async Task When_the_URLs_name_resolves_to_loopback_Should_never_connect_and_dead_letter_it_after_one_try()
    {
        await using var receiver = new WebhookReceiver(_ => 200);
        await receiver.StartAsync();
        var url = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        var accountId = Guid.NewGuid();
        using (var response = await host.Http.PutAsJsonAsync(new Uri($"/webhooks/accounts/{accountId}", UriKind.Relative), new { url, secret = Secret }))
        {
            response.EnsureSuccessStatusCode();
        }

        var (callId, transferId, at) = (Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow);
        await host.PublishAsync(WebhooksHost.Refer(callId, transferId, accountId, "+442071234567", at));
        await host.PublishAsync(new TransferAccepted(callId, at, "transfer-1", transferId));

        var letter = Assert.Single(await host.WaitForDeadLettersAsync(accountId));
        Assert.Equal(1, letter.Attempts);
        Assert.Contains("refused while Webhooks:AllowPrivateNetworks is off", letter.LastError, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}
