using MassTransit;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Persistence;
using Trunk.Webhooks.Delivery;
using Trunk.Webhooks.Retention;
using Trunk.Webhooks.Subscriptions;

namespace Trunk.Webhooks;

/// <summary>
/// Registration and routes of the Webhooks service: a subscriber of the transfer events with its own queue and its
/// own schema, which changes nothing in any other service.
/// </summary>
public static class WebhooksExtensions
{
    /// <summary>The queue bound to ReferReceived and the four transfer outcome events.</summary>
    public const string EventsQueue = "webhooks-transfer-events";

    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WebhooksSettings.Section);
        builder.Services.AddValidatedSettings<WebhooksSettings, WebhooksSettingsValidator>().Bind(section);
        var settings = section.PeekSettings<WebhooksSettings>();

        builder.AddTrunkBus(bus => ConfigureBus(bus, settings.QueuePrefix ?? ""));
        builder.AddTrunkMarten(store =>
        {
            if (!string.IsNullOrEmpty(settings.Schema))
            {
                store.DatabaseSchemaName = settings.Schema;
            }

            store.Schema.For<WebhookSubscription>();
            // The retention reads these by age (Retention.WebhookRecordsPruner).
            store.Schema.For<TransferAccount>().IndexLastModified();
            store.Schema.For<WebhookDelivery>().Index(d => d.DeliveredAt);
            store.Schema.For<DeadLetter>().Index(l => l.AccountId).Index(l => l.FailedAt);
        });

        builder.Services.AddHttpClient(WebhookSender.ClientName, client =>
        {
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Trunk-Webhooks/1");
        }).ConfigurePrimaryHttpMessageHandler(() => WebhookConnections.Handler(settings.AllowPrivateNetworks));
        builder.Services.AddResiliencePipeline<string, HttpResponseMessage>(WebhookSender.PipelineName, pipeline =>
        {
            if (settings.MaxAttempts < 2)
            {
                pipeline.AddTimeout(settings.AttemptTimeout);
                return;
            }

            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                Delay = settings.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(e => e.InnerException is not WebhookTargetRefusedException)
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => !response.IsSuccessStatusCode),
            });
            pipeline.AddTimeout(settings.AttemptTimeout);
        });
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddSingleton<WebhookRecordsPruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookRecordsPruner>());

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapWebhooksApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapSubscriptions();
        return app;
    }

    private static void ConfigureBus(IBusRegistrationConfigurator bus, string prefix)
    {
        var queue = prefix + EventsQueue;
        bus.AddConsumer<ReferReceivedConsumer>().Endpoint(e => e.Name = queue);
        bus.AddConsumer<TransferEventConsumer>().Endpoint(e => e.Name = queue);
        bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
        {
            if (name == queue && prefix.Length > 0 && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
            }
        });
    }
}
