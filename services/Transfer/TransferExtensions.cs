using Marten;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<TransferActions>();
        builder.Services.TryAddSingleton<TransferTelemetry>();

        builder.AddTrunkBus(bus =>
        {
            bus.AddSagaStateMachine<TransferStateMachine, TransferState>()
                .Endpoint(e =>
                {
                    e.Name = TransferActions.SagaQueue;
                    // One message at a time, in queue order: a target's 180 and 200 arrive back to back, and handled
                    // side by side (even partitioned by call, as delivery tasks race to the partition) the 200 could
                    // win and the NOTIFY 180 was lost. Sharding the queue by call id is the way to scale (issue 5).
                    e.ConcurrentMessageLimit = 1;
                })
                .Repository(r =>
                {
                    r.RegisterSagaRepository<TransferState, IDocumentSession, SagaConsumeContextFactory<IDocumentSession, TransferState>,
                        MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterQuerySagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterLoadSagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                });
            configureBus?.Invoke(bus);
        });

        builder.AddTrunkMarten(store =>
        {
            store.Schema.For<TransferState>().Identity(x => x.CorrelationId).UseOptimisticConcurrency(true).Index(x => x.CallId);
            store.Schema.For<OutboxMessage>().Index(x => x.CreatedAt);
            store.Schema.For<ScheduledTimeout>().Index(x => x.DueAt);
            store.Schema.For<ProcessedMessage>();
        });

        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<TimeoutScheduler>();
        return builder;
    }
}
