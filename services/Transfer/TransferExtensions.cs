using Marten;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Persistence;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Persistence;
using Trunk.Transfer.Saga;
using Trunk.Transfer.Scheduling;
using Trunk.Transfer.Telemetry;

namespace Trunk.Transfer;

/// <summary>The Transfer service: the saga on the bus, its Marten documents, the outbox dispatcher and the scheduler.</summary>
public static class TransferExtensions
{
    /// <param name="builder">The host.</param>
    /// <param name="configureBus">More consumers on the same bus (tests add the Policy and Signaling they play).</param>
    public static IHostApplicationBuilder AddTransfer(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedSettings<TransferSettings, TransferSettingsValidator>()
            .Bind(builder.Configuration.GetSection(TransferSettings.Section));
        builder.Services.TryAddSingleton<OutboxDispatcher>();
        builder.Services.TryAddSingleton<TransferActions>();
        builder.Services.TryAddSingleton<TransferTelemetry>();

        var shards = new SagaShards(builder.Configuration.GetSection(TransferSettings.Section).PeekSettings<TransferSettings>().SagaShards);
        builder.Services.AddSingleton(shards);
        builder.AddTrunkBus(bus =>
        {
            var saga = bus.AddSagaStateMachine<TransferStateMachine, TransferState>()
                .Repository(r =>
                {
                    r.RegisterSagaRepository<TransferState, IDocumentSession, SagaConsumeContextFactory<IDocumentSession, TransferState>,
                        MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterQuerySagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterLoadSagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                });
            if (shards.Sharded)
            {
                saga.ExcludeFromConfigureEndpoints();
            }
            else
            {
                // One message at a time, in queue order (SagaShards says why).
                saga.Endpoint(e =>
                {
                    e.Name = SagaShards.Queue;
                    e.ConcurrentMessageLimit = 1;
                    e.AddConfigureEndpointCallback(endpoint =>
                    {
                        SagaShards.OneReader(endpoint);
                        HangUpsAcknowledged.ConnectTo(endpoint);
                    });
                });
            }

            configureBus?.Invoke(bus);
        });

        builder.AddTrunkMarten(store =>
        {
            store.Schema.For<TransferState>().Identity(x => x.CorrelationId).UseOptimisticConcurrency(true).Index(x => x.CallId);
            store.Schema.For<OutboxMessage>().Index(x => x.CreatedAt);
            store.Schema.For<ScheduledTimeout>().Index(x => x.DueAt);
        });

        // Sharded, the routing to the shards; with one queue, the retirement of a sharded run's routing and queues.
        builder.Services.AddSingleton<SagaRouting>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SagaRouting>());
        builder.Services.AddHealthChecks().AddCheck<SagaRouting>(SagaRouting.HealthCheckName, tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddSingleton<SagaShardEndpoints>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SagaShardEndpoints>());

        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        builder.Services.AddHostedService<TimeoutScheduler>();
        builder.Services.AddSingleton<SagaStorePruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SagaStorePruner>());
        return builder;
    }
}
