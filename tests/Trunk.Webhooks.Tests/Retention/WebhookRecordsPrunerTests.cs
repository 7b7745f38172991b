using System.Globalization;
using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;
using Trunk.Webhooks.Delivery;
using Trunk.Webhooks.Retention;
using Trunk.Webhooks.Tests.Support;

namespace Trunk.Webhooks.Tests.Retention;

/// <summary>
/// Webhook deliveries, dead letters and transfers' accounts older than <c>Webhooks:Retention</c> (30 days) are deleted, a
/// bounded batch a statement; younger ones are kept.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class WebhookRecordsPrunerTests(WebhooksHost host)
{
    private IDocumentStore Store => host.Services.GetRequiredService<IDocumentStore>();

    private WebhookRecordsPruner Pruner => host.Services.GetRequiredService<WebhookRecordsPruner>();

    [Fact]
    public async Task When_records_are_older_than_the_retention_Should_delete_them_and_keep_the_younger_ones()
    {
        var now = TimeProvider.System.GetUtcNow();
        var account = Guid.NewGuid();
        var oldDelivery = new WebhookDelivery(Guid.NewGuid(), account, WebhookEvent.Completed, 1, now.AddDays(-31));
        var youngDelivery = new WebhookDelivery(Guid.NewGuid(), account, WebhookEvent.Completed, 1, now.AddDays(-29));
        var oldLetter = Letter(account, now.AddDays(-31));
        var youngLetter = Letter(account, now.AddDays(-29));
        var oldTransfer = new TransferAccount(Guid.NewGuid(), Guid.NewGuid(), account, "+442071234567");
        var youngTransfer = new TransferAccount(Guid.NewGuid(), Guid.NewGuid(), account, "+442071234567");
        await using (var session = Store.LightweightSession())
        {
            session.Store(oldDelivery, youngDelivery);
            session.Store(oldLetter, youngLetter);
            session.Store(oldTransfer, youngTransfer);
            await session.SaveChangesAsync();
        }

        await StoredDaysAgoAsync<TransferAccount>(oldTransfer.Id, 31);
        await StoredDaysAgoAsync<TransferAccount>(youngTransfer.Id, 29);
        var before = await PrunedAsync(_ => true);

        var pruned = await Pruner.PruneRecordsAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (pruned.Deliveries, pruned.DeadLetters, pruned.Transfers));
        await using (var query = Store.QuerySession())
        {
            Assert.Null(await query.LoadAsync<WebhookDelivery>(oldDelivery.Id));
            Assert.NotNull(await query.LoadAsync<WebhookDelivery>(youngDelivery.Id));
            Assert.Null(await query.LoadAsync<TransferAccount>(oldTransfer.Id));
            Assert.NotNull(await query.LoadAsync<TransferAccount>(youngTransfer.Id));
        }

        var letters = await host.Http.GetFromJsonAsync<List<DeadLetter>>(new Uri($"/webhooks/dead-letters?account={account}", UriKind.Relative));
        Assert.Equal([youngLetter.Id], letters!.Select(l => l.Id));
        await PrunedAsync(after => after >= before + 3);
    }

    [Fact]
    public async Task When_more_old_deliveries_than_a_batch_Should_delete_them_a_bounded_batch_per_statement()
    {
        var old = TimeProvider.System.GetUtcNow().AddDays(-40);
        var deliveries = Enumerable.Range(0, WebhookRecordsPruner.BatchSize + 1)
            .Select(i => new WebhookDelivery(Guid.NewGuid(), Guid.NewGuid(), WebhookEvent.Accepted, 1, old.AddSeconds(-i)))
            .ToList();
        await Store.BulkInsertAsync(deliveries);

        var pruned = await Pruner.PruneRecordsAsync(CancellationToken.None);

        // Two statements for the deliveries (a full batch, then the rest), one for each of the other two kinds.
        Assert.Equal(new WebhookRecordsPruned(WebhookRecordsPruner.BatchSize + 1, 0, 0, 4), pruned);
        await using var query = Store.QuerySession();
        var ids = deliveries.Select(d => d.Id).ToArray();
        Assert.Equal(0, await query.Query<WebhookDelivery>().CountAsync(d => ids.Contains(d.Id)));
    }

    [Fact]
    public async Task When_the_retention_is_out_of_range_Should_refuse_to_start_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => InProcessHost.StartAsync(
            "webhooks",
            typeof(WebhooksExtensions),
            new Dictionary<string, string?> { ["Webhooks:Retention"] = "3651.00:00:00" },
            builder => builder.AddWebhooks(),
            app => app.MapWebhooksApi()));

        Assert.Contains("Webhooks:Retention must be between 1.00:00:00 and 3650.00:00:00 (was 3651.00:00:00).", refused.Failures);
    }

    [Theory]
    [InlineData("23:59:00", false)]
    [InlineData("1.00:00:00", true)]
    [InlineData("30.00:00:00", true)]
    [InlineData("3650.00:00:00", true)]
    [InlineData("3651.00:00:00", false)]
    public void When_the_retention_is_set_Should_accept_one_day_to_ten_years(string retention, bool valid)
    {
        var result = new WebhooksSettingsValidator().Validate(null, new WebhooksSettings { Retention = TimeSpan.Parse(retention, CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Webhooks:Retention must be between", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private static DeadLetter Letter(Guid account, DateTimeOffset failedAt) =>
        new(Guid.NewGuid(), account, "https://hooks.example/trunk", WebhookEvent.Failed, "{}", 3, 503, null, failedAt);

    /// <summary>Moves the document's last change back in time, as if it had been stored then.</summary>
    private async Task StoredDaysAgoAsync<T>(Guid id, int days)
    {
        await using var session = Store.LightweightSession();
        session.QueueSqlCommand(
            $"update {Store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName} set mt_last_modified = now() - ?::interval where id = ?",
            $"{days} days",
            id);
        await session.SaveChangesAsync();
    }

    private async Task<double> PrunedAsync(Func<double, bool> until)
    {
        var name = TrunkMetrics.PrunedWebhookRecords.PrometheusName;
        var scrape = await PrometheusScrape.WaitAsync(host.Http, s => until(s.Sum(name)), TimeSpan.FromSeconds(10));
        Assert.True(until(scrape.Sum(name)), $"{name} is {scrape.Sum(name)}.");
        return scrape.Sum(name);
    }
}
