using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Contracts;
using Trunk.Contracts.Transfers;
using Trunk.Testing;
using Trunk.Webhooks.Delivery;

namespace Trunk.Webhooks.Tests.Support;

/// <summary>
/// The Webhooks host in this process against the real PostgreSQL and RabbitMQ, with its own schema and auto-deleted
/// queue; three tries per webhook, 50 ms apart at first, so that retries and dead letters take well under a second.
/// Webhooks may go to private networks: the test receivers listen on loopback.
/// </summary>
public class WebhooksHost : IAsyncLifetime
{
    public const int MaxAttempts = 3;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private InProcessHost? _host;

    public string Schema => $"webhooks_test_{_suffix}";

    public HttpClient Http => _host!.Http;

    public IServiceProvider Services => _host!.Services;

    protected virtual bool AllowPrivateNetworks => true;

    public async Task InitializeAsync()
    {
        _host = await InProcessHost.StartAsync(
            "webhooks",
            typeof(WebhooksExtensions),
            new Dictionary<string, string?>
            {
                ["Webhooks:Schema"] = Schema,
                ["Webhooks:QueuePrefix"] = $"test-{_suffix}-",
                ["Webhooks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhooks:FirstRetryDelay"] = "00:00:00.050",
                ["Webhooks:AttemptTimeout"] = "00:00:02",
                ["Webhooks:AllowPrivateNetworks"] = AllowPrivateNetworks ? "true" : "false",
            },
            builder => builder.AddWebhooks(),
            app => app.MapWebhooksApi());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await InProcessHost.DropSchemaAsync(Schema);
    }

    /// <summary>Publishes as Signaling and the Transfer saga do; a given id makes a redelivery.</summary>
    public Task PublishAsync(ICallEvent message, Guid? messageId = null) =>
        _host!.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context => context.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>The account's dead letters, as an operator reads them, once there is one.</summary>
    public async Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(Guid accountId)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var letters = await Http.GetFromJsonAsync<List<DeadLetter>>(new Uri($"/webhooks/dead-letters?account={accountId}", UriKind.Relative));
            if (letters is { Count: > 0 })
            {
                return letters;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No dead letter for account {accountId}.");
    }

    /// <summary>A REFER the saga went on with, as Signaling publishes it.</summary>
    public static ReferReceived Refer(Guid callId, Guid transferId, Guid accountId, string target, DateTimeOffset at) => new(
        callId, at, "signaling-1", transferId, "signaling-1", accountId, Guid.NewGuid(), "+15551230001", target, "trunk.example",
        "<sip:agent@pbx.example>", 2, NotifyRequested: true);
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<WebhooksHost>
{
    public const string Name = "Webhooks host";
}
