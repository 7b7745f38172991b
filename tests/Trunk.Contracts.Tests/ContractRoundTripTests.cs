using System.Text.Json;

namespace Trunk.Contracts.Tests;

/// <summary>Every contract crosses the real RabbitMQ and arrives equal: events published, commands sent.</summary>
public sealed class ContractRoundTripTests(RabbitBusFixture bus) : IClassFixture<RabbitBusFixture>
{
    [Fact]
    public void The_catalog_finds_every_contract_and_each_can_be_sampled()
    {
        Assert.True(ContractCatalog.Messages.Count >= 40, $"only {ContractCatalog.Messages.Count} contracts found");
        Assert.All(ContractCatalog.Messages, type => Assert.Empty(ContractCatalog.UnsupportedProperties(type)));
    }

    [Theory]
    [MemberData(nameof(ContractCatalog.Names), MemberType = typeof(ContractCatalog))]
    public async Task Should_arrive_equal_after_crossing_RabbitMQ(string contract)
    {
        var type = ContractCatalog.Find(contract);
        var sent = (ICallMessage)new SampleValues().CreateRecord(type);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        if (sent is ICallEvent)
        {
            await bus.Bus.Publish(sent, type, timeout.Token);
        }
        else
        {
            var endpoint = await bus.Bus.GetSendEndpoint(bus.Queue);
            await endpoint.Send(sent, type, timeout.Token);
        }

        var received = await bus.Recorder.Received(sent.CallId, type);
        Assert.Equal(JsonSerializer.Serialize(sent, type), JsonSerializer.Serialize(received, type));
        if (sent is ICallEvent)
        {
            // A subscriber of ICallEvent sees every event without naming its type (as the interface's fields).
            var asEvent = (ICallEvent)await bus.Recorder.Received(sent.CallId, typeof(ICallEvent));
            Assert.Equal(((ICallEvent)sent).Instance, asEvent.Instance);
            Assert.Equal(sent.At, asEvent.At);
        }
    }
}
