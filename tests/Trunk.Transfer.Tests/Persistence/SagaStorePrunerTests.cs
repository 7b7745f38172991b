using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Transfer.Persistence;
using Trunk.Transfer.Saga;
using Trunk.Transfer.Tests.Saga;

namespace Trunk.Transfer.Tests.Persistence;

/// <summary>
/// The saga's store forgets what is older than <see cref="TransferSettings.Retention"/>: processed message ids and
/// finished transfers, and only those.
/// </summary>
[Collection(TransferHostCollection.Name)]
public sealed class SagaStorePrunerTests(TransferHostFixture fixture)
{
    [Fact]
    public async Task When_rows_are_older_than_the_retention_Should_delete_them_in_batches_and_keep_the_younger_ones()
    {
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 5_001)
            .Select(i => new ProcessedMessage { Id = NewId.NextGuid(), ProcessedAt = now - TimeSpan.FromDays(2) - TimeSpan.FromSeconds(i) })
            .ToList();
        var young = new ProcessedMessage { Id = NewId.NextGuid(), ProcessedAt = now - TimeSpan.FromHours(23) };
        await fixture.Host.Store.BulkInsertAsync(old);
        await using (var session = fixture.Host.Store.LightweightSession())
        {
            session.Insert(young);
            await session.SaveChangesAsync();
        }

        var (deleted, _) = await fixture.Host.Services.GetRequiredService<SagaStorePruner>().PruneCountedAsync(CancellationToken.None);

        Assert.True(deleted >= old.Count, $"Deleted {deleted} rows, fewer than the {old.Count} old ones.");
        await using var query = fixture.Host.Store.QuerySession();
        var ids = old.Select(m => m.Id).Append(young.Id).ToArray();
        var left = await query.Query<ProcessedMessage>().Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync();
        Assert.Equal([young.Id], left);
    }

    [Fact]
    public async Task When_transfers_were_last_changed_before_the_retention_Should_delete_the_finished_ones_only()
    {
        var oldFinal = await StoreAsync("Final", TimeSpan.FromDays(2));
        var oldFailed = await StoreAsync("Failed", TimeSpan.FromDays(2));
        var oldBridging = await StoreAsync("Bridging", TimeSpan.FromDays(2));
        var youngFinal = await StoreAsync("Final", TimeSpan.FromHours(23));

        var (_, deleted) = await fixture.Host.Services.GetRequiredService<SagaStorePruner>().PruneCountedAsync(CancellationToken.None);

        Assert.True(deleted >= 2, $"Deleted {deleted} transfers, fewer than the 2 old finished ones.");
        await using var query = fixture.Host.Store.QuerySession();
        var ids = new[] { oldFinal, oldFailed, oldBridging, youngFinal };
        var left = await query.Query<TransferState>().Where(t => ids.Contains(t.CorrelationId)).Select(t => t.CorrelationId).ToListAsync();
        Assert.Equal(new[] { oldBridging, youngFinal }.Order(), left.Order());
    }

    /// <summary>A transfer in <paramref name="state"/>, last changed <paramref name="age"/> ago.</summary>
    private async Task<Guid> StoreAsync(string state, TimeSpan age)
    {
        var transfer = new TransferState { CorrelationId = NewId.NextGuid(), CallId = NewId.NextGuid(), CurrentState = state };
        await using var session = fixture.Host.Store.LightweightSession();
        session.Insert(transfer);
        session.QueueSqlCommand(
            $"update {fixture.Host.Store.Options.FindOrResolveDocumentType(typeof(TransferState)).TableName.QualifiedName} set mt_last_modified = now() - ?::interval where id = ?",
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
