using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Transfer.Persistence;
using Trunk.Transfer.Tests.Saga;

namespace Trunk.Transfer.Tests.Persistence;

/// <summary>The saga's inbox forgets processed message ids older than <see cref="TransferSettings.InboxRetention"/>, and only those.</summary>
[Collection(TransferHostCollection.Name)]
public sealed class InboxPrunerTests(TransferHostFixture fixture)
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

        var deleted = await fixture.Host.Services.GetRequiredService<InboxPruner>().PruneAsync(CancellationToken.None);

        Assert.True(deleted >= old.Count, $"Deleted {deleted} rows, fewer than the {old.Count} old ones.");
        await using var query = fixture.Host.Store.QuerySession();
        var ids = old.Select(m => m.Id).Append(young.Id).ToArray();
        var left = await query.Query<ProcessedMessage>().Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync();
        Assert.Equal([young.Id], left);
    }

    [Theory]
    [InlineData("00:59:00", false)]
    [InlineData("01:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("90.00:00:00", true)]
    [InlineData("91.00:00:00", false)]
    public void When_the_retention_is_set_Should_accept_one_hour_to_90_days(string retention, bool valid)
    {
        var result = new TransferSettingsValidator().Validate(null, new TransferSettings { InboxRetention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Transfer:InboxRetention", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
