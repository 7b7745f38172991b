using System.Net;
using System.Net.Http.Json;
using Trunk.Contracts.Policy;
using Trunk.Policy.Tests.Support;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Tests.Api;

/// <summary>The admin API for trunks and DIDs.</summary>
public sealed class TrunkApiTests(PolicyHost host) : IClassFixture<PolicyHost>
{
    private static object TrunkBody(string[]? dids = null, string[]? uris = null, string? domain = null, object? media = null) => new
    {
        dids,
        domain,
        terminationUris = uris ?? ["sip:endpoint@127.0.0.1:5070"],
        carrierGateway = "sip:carrier.example:5060",
        media = media ?? "Anchored",
    };

    [Fact]
    public async Task When_a_trunk_is_created_with_a_DID_Should_find_the_trunk_by_that_DID_with_defaults_filled()
    {
        var account = await host.CreateAccountAsync();
        var did = PolicyApi.UniqueUsNumber();
        var trunk = await host.CreateTrunkAsync(account.Id, did);

        var settings = await host.Http.GetFromJsonAsync<TrunkSettings>($"/dids/{Uri.EscapeDataString(did)}", PolicyHost.Json);

        Assert.Equal(trunk.Id, settings!.TrunkId);
        Assert.Equal($"{trunk.Id:N}.trunk.example", settings.Domain);
        Assert.Equal(10, settings.CallsPerSecond);
        Assert.True(settings.SipTraceEnabled);
    }

    [Fact]
    public async Task When_a_DID_already_belongs_to_another_trunk_Should_answer_409()
    {
        var account = await host.CreateAccountAsync();
        var did = PolicyApi.UniqueUsNumber();
        await host.CreateTrunkAsync(account.Id, did);
        var other = await host.CreateTrunkAsync(account.Id);

        using var onCreate = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/trunks", TrunkBody([did]), PolicyHost.Json);
        using var onAdd = await host.Http.PutAsync(new Uri($"/trunks/{other.Id}/dids/{did}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, onCreate.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, onAdd.StatusCode);
    }

    [Fact]
    public async Task When_a_domain_is_taken_Should_answer_409()
    {
        var account = await host.CreateAccountAsync();
        var domain = $"d{Guid.NewGuid():N}.trunk.example";
        using var first = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/trunks", TrunkBody(domain: domain), PolicyHost.Json);

        using var second = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/trunks", TrunkBody(domain: domain.ToUpperInvariant()), PolicyHost.Json);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Theory]
    [InlineData("terminationUris[1]")]
    [InlineData("dids[0]")]
    [InlineData("media")]
    [InlineData("terminationUris")]
    public async Task When_a_trunk_field_is_bad_Should_answer_400_naming_it(string field)
    {
        var account = await host.CreateAccountAsync();
        var body = field switch
        {
            "terminationUris[1]" => TrunkBody(uris: ["sip:a@127.0.0.1", "http://not-sip"]),
            "dids[0]" => TrunkBody(dids: ["4155550100"]),
            "media" => TrunkBody(media: "Teleport"),
            _ => TrunkBody(uris: []),
        };

        using var response = await host.Http.PostAsJsonAsync($"/accounts/{account.Id}/trunks", body, PolicyHost.Json);

        await PolicyApi.AssertFieldProblemAsync(response, field);
    }

    [Fact]
    public async Task When_the_account_or_trunk_is_unknown_Should_answer_404()
    {
        using var create = await host.Http.PostAsJsonAsync($"/accounts/{Guid.NewGuid()}/trunks", TrunkBody(), PolicyHost.Json);
        using var get = await host.Http.GetAsync(new Uri($"/trunks/{Guid.NewGuid()}", UriKind.Relative));
        using var did = await host.Http.GetAsync(new Uri("/dids/+14155550177", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, did.StatusCode);
    }

    [Fact]
    public async Task When_a_trunk_is_updated_Should_keep_the_termination_order_and_its_DIDs()
    {
        var account = await host.CreateAccountAsync();
        var did = PolicyApi.UniqueUsNumber();
        var trunk = await host.CreateTrunkAsync(account.Id, did);

        using var response = await host.Http.PutAsJsonAsync(
            $"/trunks/{trunk.Id}",
            new { terminationUris = new[] { "sip:b@10.0.0.2", "sip:a@10.0.0.1" }, carrierGateway = "sips:gw.example", ringTimeoutSeconds = 45, callsPerSecond = 50, sipTraceEnabled = false },
            PolicyHost.Json);
        var updated = await response.Content.ReadFromJsonAsync<InboundTrunk>(PolicyHost.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["sip:b@10.0.0.2", "sip:a@10.0.0.1"], updated!.TerminationUris);
        Assert.Equal(TimeSpan.FromSeconds(45), updated.RingTimeout);
        Assert.False(updated.SipTraceEnabled);
        Assert.Equal([did], updated.Dids);
    }

    [Fact]
    public async Task When_a_DID_is_removed_Should_no_longer_find_a_trunk_for_it()
    {
        var account = await host.CreateAccountAsync();
        var did = PolicyApi.UniqueUsNumber();
        var trunk = await host.CreateTrunkAsync(account.Id, did);

        using var removed = await host.Http.DeleteAsync(new Uri($"/trunks/{trunk.Id}/dids/{did}", UriKind.Relative));
        using var lookup = await host.Http.GetAsync(new Uri($"/dids/{did}", UriKind.Relative));
        var dids = await host.Http.GetFromJsonAsync<string[]>($"/trunks/{trunk.Id}/dids", PolicyHost.Json);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Empty(dids!);
    }
}
