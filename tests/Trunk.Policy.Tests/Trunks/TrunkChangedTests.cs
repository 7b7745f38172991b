using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Policy.Tests.Support;
using Trunk.Testing;

namespace Trunk.Policy.Tests.Trunks;

/// <summary>Signaling caches trunks; Policy publishes <see cref="TrunkChanged"/> on the real bus whenever one changes.</summary>
public sealed class TrunkChangedTests(PolicyHost host) : IClassFixture<PolicyHost>, IAsyncLifetime
{
    private readonly ConcurrentQueue<TrunkChanged> _received = new();
    private IBusControl _listener = null!;

    public async Task InitializeAsync()
    {
        _listener = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, h =>
            {
                h.Username(TestInfrastructure.RabbitUsername);
                h.Password(TestInfrastructure.RabbitPassword);
            });
            rabbit.ReceiveEndpoint($"{host.QueuePrefix}trunk-changed-listener", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<TrunkChanged>(context =>
                {
                    _received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await _listener.StartAsync();
    }

    public Task DisposeAsync() => _listener.StopAsync();

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
        var changes = await WaitForAsync(trunk.Id, 3);
        Assert.Empty(changes[0].Trunk.Dids);
        Assert.Equal([did], changes[1].Trunk.Dids);
        Assert.True(changes[2].Removed);
        Assert.Equal([did], changes[2].ReleasedDids);
    }

    private async Task<IReadOnlyList<TrunkChanged>> WaitForAsync(Guid trunkId, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var mine = _received.Where(c => c.Trunk.TrunkId == trunkId).OrderBy(c => c.At).ToList();
            if (mine.Count >= count)
            {
                return mine;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Fewer than {count} TrunkChanged for {trunkId}.");
    }
}
