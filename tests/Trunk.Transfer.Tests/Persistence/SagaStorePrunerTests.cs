using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Transfer.Persistence;
using Trunk.Transfer.Saga;
using Trunk.Transfer.Tests.Saga;

namespace Trunk.Transfer.Tests.Persistence;

/// <summary>
/// The saga's store forgets what is older than <see cref="TransferSettings.Retention"/>: finished transfers (with the
/// message ids they handled), and only those.
/// </summary>
[Collection(TransferHostCollection.Name)]
public sealed class SagaStorePrunerTests(TransferHostFixture fixture)
{
    [Fact]
    public async Task When_more_finished_transfers_than_a_batch_are_older_than_the_retention_Should_delete_them_all_in_batches()
    {
        var old = Enumerable.Range(0, 5_001)
            .Select(_ => new TransferState { CorrelationId = NewId.NextGuid(), CallId = NewId.NextGuid(), CurrentState = "Final" })
            .ToList();
        await fixture.Host.Store.BulkInsertAsync(old);
        await using (var session = fixture.Host.Store.LightweightSession())
        {
            session.QueueSqlCommand(
                $"update {TransfersTable} set mt_last_modified = now() - interval '2 days' where id = any(?)",
                old.Select(t => t.CorrelationId).ToArray());
            await session.SaveChangesAsync();
        }

        var youngFinal = await StoreAsync("Final", TimeSpan.FromHours(23));

        var deleted = await fixture.Host.Services.GetRequiredService<SagaStorePruner>().PruneCountedAsync(CancellationToken.None);

        Assert.True(deleted >= old.Count, $"Deleted {deleted} transfers, fewer than the {old.Count} old ones.");
        await using var query = fixture.Host.Store.QuerySession();
        var ids = old.Select(t => t.CorrelationId).Append(youngFinal).ToArray();
        var left = await query.Query<TransferState>().Where(t => ids.Contains(t.CorrelationId)).Select(t => t.CorrelationId).ToListAsync();
        Assert.Equal([youngFinal], left);
    }

    [Fact]
    public async Task When_transfers_were_last_changed_before_the_retention_Should_delete_the_finished_ones_only()
    {
        var oldFinal = await StoreAsync("Final", TimeSpan.FromDays(2));
        var oldFailed = await StoreAsync("Failed", TimeSpan.FromDays(2));
        var oldBridging = await StoreAsync("Bridging", TimeSpan.FromDays(2));
        var youngFinal = await StoreAsync("Final", TimeSpan.FromHours(23));

        var deleted = await fixture.Host.Services.GetRequiredService<SagaStorePruner>().PruneCountedAsync(CancellationToken.None);

        Assert.True(deleted >= 2, $"Deleted {deleted} transfers, fewer than the 2 old finished ones.");
        await using var query = fixture.Host.Store.QuerySession();
        var ids = new[] { oldFinal, oldFailed, oldBridging, youngFinal };
        var left = await query.Query<TransferState>().Where(t => ids.Contains(t.CorrelationId)).Select(t => t.CorrelationId).ToListAsync();
        Assert.Equal(new[] { oldBridging, youngFinal }.Order(), left.Order());
    }

    private string TransfersTable => fixture.Host.Store.Options.FindOrResolveDocumentType(typeof(TransferState)).TableName.QualifiedName;

    /// <summary>A transfer in <paramref name="state"/>, last changed <paramref name="age"/> ago.</summary>
    private async Task<Guid> StoreAsync(string state, TimeSpan age)
    {
        var transfer = new TransferState { CorrelationId = NewId.NextGuid(), CallId = NewId.NextGuid(), CurrentState = state };
        await using var session = fixture.Host.Store.LightweightSession();
        session.Insert(transfer);
        session.QueueSqlCommand(
            $"update {TransfersTable} set mt_last_modified = now() - ?::interval where id = ?",
            $"{(long)age.TotalSeconds} seconds",
            transfer.CorrelationId);
        await session.SaveChangesAsync();
        return transfer.CorrelationId;
    }

    [Theory]
    [InlineData("00:59:00", false)]
    [InlineData("01:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("90.00:00:00", true)]
    [InlineData("91.00:00:00", false)]
    public void When_the_retention_is_set_Should_accept_one_hour_to_90_days(string retention, bool valid)
    {
        var result = new TransferSettingsValidator().Validate(null, new TransferSettings { Retention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Transfer:Retention", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
