using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>MassTransit on RabbitMQ with the trunk's defaults; each service adds its own consumers and sagas.</summary>
public static class BusExtensions
{
    /// <summary>The readiness check's name for the broker.</summary>
    public const string HealthCheckName = "rabbitmq";

    public static IHostApplicationBuilder AddTrunkBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedSettings<RabbitMqSettings, RabbitMqSettingsValidator>()
            .Bind(builder.Configuration.GetSection(RabbitMqSettings.Section));
        builder.Services.AddValidatedSettings<RedeliverySettings, RedeliverySettingsValidator>()
            .Bind(builder.Configuration.GetSection(RedeliverySettings.Section));
        builder.Services.AddSingleton<DelayQueues>();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit's usage telemetry reports to its makers, and at start it walks the endpoint list while a
            // service may be connecting endpoints of its own (Transfer's saga shards): "Collection was modified" failed
            // the bus start and Transfer never became ready (seen once in scripts/demo).
            bus.DisableUsageTelemetry();
            bus.AddConsumeObserver<ConsumerLagObserver>();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = HealthCheckName;
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
                health.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var settings = context.GetRequiredService<IOptions<RabbitMqSettings>>().Value;
                rabbit.Host(settings.Host, (ushort)settings.Port, settings.VirtualHost, host =>
                {
                    host.Username(settings.Username);
                    host.Password(settings.Password);
                    host.PublisherConfirmation = true;
                    host.ConnectionName(context.GetRequiredService<ServiceIdentity>().InstanceId);
                });
                rabbit.PrefetchCount = settings.PrefetchCount;
                rabbit.ConfigureSend(send => send.UseExecute(CallRoutingKey.Stamp));
                rabbit.ConfigurePublish(publish => publish.UseExecute(CallRoutingKey.Stamp));
                MessageRetryDefaults.Apply(rabbit, context.GetRequiredService<DelayQueues>());
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
