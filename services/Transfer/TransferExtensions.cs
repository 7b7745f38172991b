using System.Reflection;
using Marten;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trunk.Contracts;
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
    /// <summary>Calls whose saga messages are handled side by side (each call's own messages one after another).</summary>
    private const int SagaPartitions = 16;

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
                .Endpoint(e => e.Name = TransferActions.SagaQueue)
                .Repository(r =>
                {
                    r.RegisterSagaRepository<TransferState, IDocumentSession, SagaConsumeContextFactory<IDocumentSession, TransferState>,
                        MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterQuerySagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                    r.RegisterLoadSagaRepository<TransferState, MartenSagaRepositoryContextFactory<TransferState>>();
                });
            // One call's messages one at a time, in queue order: a target's 180 and 200 handled side by side would
            // conflict on the saga's version, and the retry would apply the 180 after the 200 (no NOTIFY 180).
            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                if (name == TransferActions.SagaQueue)
                {
                    PartitionByCall(endpoint);
                }
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

    /// <summary>Every message type the saga consumes (its <c>Event&lt;T&gt;</c> properties) goes through one partitioner keyed by call id.</summary>
    private static void PartitionByCall(IReceiveEndpointConfigurator endpoint)
    {
        var partitioner = endpoint.CreatePartitioner(SagaPartitions);
        var byCall = typeof(TransferExtensions).GetMethod(nameof(ByCall), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var property in typeof(TransferStateMachine).GetProperties())
        {
            if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Event<>))
            {
                byCall.MakeGenericMethod(property.PropertyType.GetGenericArguments()[0]).Invoke(null, [endpoint, partitioner]);
            }
        }
    }

    private static void ByCall<T>(IReceiveEndpointConfigurator endpoint, IPartitioner partitioner)
        where T : class, ICallMessage =>
        endpoint.UsePartitioner<T>(partitioner, c => c.Message.CallId);
}
