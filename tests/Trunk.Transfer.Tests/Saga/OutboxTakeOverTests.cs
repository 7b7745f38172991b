using System.Text.Json;
using Marten;
using MassTransit;
using Trunk.Contracts.Transfers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Telemetry;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// Rows a stopped Transfer instance left in the outbox (committed as the saga commits them, never sent: it stopped between
/// its commit and the send) are taken over by a running one once they are older than <see cref="OutboxDispatcher.OrphanAge"/>:
/// sent once, in their call's order, then deleted.
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
            OutboxMessage.QueueInsert(session, rows);
            await session.SaveChangesAsync();
        }

        await fixture.Signaling.WaitFor<SendReferNotify>(callId, notify => notify.Final);

        Assert.Equal([100, 180, 200], fixture.Signaling.For(callId).OfType<SendReferNotify>().Select(n => n.SipCode));
        await WaitUntilDeletedAsync(transferId);
    }

    /// <summary>
    /// A restarted instance: a row committed after the start but handed over before the first read of the outbox waits
    /// behind the rows of the same call that the stopped instance left.
    /// </summary>
    [Fact]
    public async Task When_a_row_is_handed_over_before_the_first_read_Should_send_it_after_the_rows_left_before_the_start()
    {
        var callId = NewId.NextGuid();
        var transferId = NewId.NextGuid();
        var now = DateTimeOffset.UtcNow;
        // Younger than the orphan age, so the fixture's own running dispatcher leaves it alone; older than the restart.
        var left = Row(callId, transferId, now, new SendReferNotify(callId, now, transferId, 180, "Ringing", false));
        await using (var session = fixture.Host.Store.LightweightSession())
        {
            OutboxMessage.QueueInsert(session, [left]);
            await session.SaveChangesAsync();
        }

        await Task.Delay(20);

        var services = fixture.Host.Services;
        using var restarted = new OutboxDispatcher(services.GetRequiredService<IDocumentStore>(), fixture.Host.Bus,
            services.GetRequiredService<TransferTelemetry>(), TimeProvider.System, services.GetRequiredService<IOptions<TransferSettings>>(),
            NullLogger<OutboxDispatcher>.Instance);
        var committed = Row(callId, transferId, DateTimeOffset.UtcNow, new SendReferNotify(callId, now, transferId, 200, "OK", true));
        await using (var session = fixture.Host.Store.LightweightSession())
        {
            OutboxMessage.QueueInsert(session, [committed]);
            await session.SaveChangesAsync();
        }

        restarted.Dispatch([committed]);
        await restarted.StartAsync(CancellationToken.None);
        try
        {
            await fixture.Signaling.WaitFor<SendReferNotify>(callId, notify => notify.Final);
            Assert.Equal([180, 200], fixture.Signaling.For(callId).OfType<SendReferNotify>().Select(n => n.SipCode));
            await WaitUntilDeletedAsync(transferId);
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
        }
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
