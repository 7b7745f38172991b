using System.Net;
using Trunk.Contracts.Policy;
using Trunk.Policy.Tests.Support;
using Trunk.Testing.Messaging;

namespace Trunk.Policy.Tests.Trunks;

/// <summary>Signaling caches trunks; Policy publishes <see cref="TrunkChanged"/> on the real bus whenever one changes.</summary>
public sealed class TrunkChangedTests(PolicyHost host) : IClassFixture<PolicyHost>, IAsyncLifetime
{
    private MessageListener<TrunkChanged> _changes = null!;

    public async Task InitializeAsync() => _changes = await MessageListener<TrunkChanged>.StartAsync($"{host.QueuePrefix}trunk-changed-listener");

    public async Task DisposeAsync() => await _changes.DisposeAsync();

    [Fact]
    public async Task When_a_trunk_is_created_given_a_DID_and_deleted_Should_publish_TrunkChanged_each_time()
    {
        var account = await host.CreateAccountAsync();
        var trunk = await host.CreateTrunkAsync(account.Id);
        var did = PolicyApi.UniqueUsNumber();

        using var added = await host.Http.PutAsync(new Uri($"/trunks/{trunk.Id}/dids/{did}", UriKind.Relative), null);
        using var deleted = await host.Http.DeleteAsync(new Uri($"/trunks/{trunk.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var changes = await _changes.WaitForAsync(c => c.Trunk.TrunkId == trunk.Id, 3);
        Assert.Empty(changes[0].Trunk.Dids);
        Assert.Equal([did], changes[1].Trunk.Dids);
        Assert.True(changes[2].Removed);
        Assert.Equal([did], changes[2].ReleasedDids);
    }
}
