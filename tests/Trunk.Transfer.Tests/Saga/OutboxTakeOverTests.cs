using System.Text.Json;
using Marten;
using MassTransit;
using Trunk.Contracts.Transfers;
using Trunk.Transfer.Outbox;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// Rows a stopped Transfer instance left in the outbox (committed, never sent) are taken over by a running one once
/// they are older than <see cref="OutboxDispatcher.OrphanAge"/>: sent in their call's order, then deleted.
/// </summary>
[Collection(TransferHostCollection.Name)]
public sealed class OutboxTakeOverTests(TransferHostFixture fixture)
{
    [Fact]
    public async Task When_a_stopped_instance_left_rows_Should_send_them_in_the_calls_order_and_delete_them()
    {
        var callId = NewId.NextGuid();
        var transferId = NewId.NextGuid();
        var left = DateTimeOffset.UtcNow - OutboxDispatcher.OrphanAge - TimeSpan.FromMinutes(1);
        var rows = new[] { (100, "Trying", false), (180, "Ringing", false), (200, "OK", true) }
            .Select((notify, i) => Row(callId, transferId, left.AddMilliseconds(i), new SendReferNotify(callId, left, transferId, notify.Item1, notify.Item2, notify.Item3)))
            .ToList();
        await using (var session = fixture.Host.Store.LightweightSession())
        {
            session.Insert<OutboxMessage>(rows);
            await session.SaveChangesAsync();
        }

        await fixture.Signaling.WaitFor<SendReferNotify>(callId, notify => notify.Final);

        Assert.Equal([100, 180, 200], fixture.Signaling.For(callId).OfType<SendReferNotify>().Select(n => n.SipCode));
        await WaitUntilDeletedAsync(transferId);
    }

    private static OutboxMessage Row<T>(Guid callId, Guid transferId, DateTimeOffset createdAt, T message) => new()
    {
        Id = NewId.NextGuid(),
        CallId = callId,
        TransferId = transferId,
        CreatedAt = createdAt,
        Destination = $"queue:{TransferHost.SignalingQueue}",
        MessageType = $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}",
        Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
    };

    private async Task WaitUntilDeletedAsync(Guid transferId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await using var session = fixture.Host.Store.QuerySession();
            if ((await session.Query<OutboxMessage>().Where(m => m.TransferId == transferId).ToListAsync()).Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The outbox rows of transfer {transferId} were sent but never deleted.");
            await Task.Delay(50);
        }
    }
}
