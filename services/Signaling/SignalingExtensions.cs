using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Commands;
using Trunk.Signaling.Events;
using Trunk.Signaling.Media;
using Trunk.Signaling.Rules;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Sip;
using Trunk.Signaling.Telemetry;
using Trunk.Signaling.Tracing;
using Trunk.Signaling.Transfers;
using Trunk.Signaling.Trunks;

namespace Trunk.Signaling;

public static class SignalingExtensions
{
    /// <summary>
    /// The B2BUA: SIP on UDP and TCP, the trunk cache, call handling, and this instance's command queue (named after
    /// the instance id: its dialogs live only in this process).
    /// </summary>
    public static IHostApplicationBuilder AddSignaling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedSettings<SipSettings, SipSettingsValidator>().Bind(builder.Configuration.GetSection(SipSettings.Section));
        services.AddValidatedSettings<TransferSettings, TransferSettingsValidator>().Bind(builder.Configuration.GetSection(TransferSettings.Section));
        services.AddValidatedSettings<MediaControlSettings, MediaControlSettingsValidator>().Bind(builder.Configuration.GetSection(MediaControlSettings.Section));
        // The stop drains calls first (SipListener): the shutdown's budget grows by the drain.
        services.AddDrainToShutdown<SipSettings>(sip => sip.DrainTimeout);

        var queue = InstanceQueue(services);
        builder.AddTrunkBus(bus =>
        {
            bus.AddConsumer<CallCommandConsumer>().Endpoint(e => Configure(e, queue));
            bus.AddConsumer<TrunkChangedConsumer>().Endpoint(e => Configure(e, queue));
            bus.AddConsumer<TransferRulesChangedConsumer>().Endpoint(e => Configure(e, queue));
        });

        services.AddSingleton<CommandQueue>();
        services.AddSingleton<SipTracer>();
        services.AddSingleton(new TraceChunkPool(TraceChunkPool.DefaultChunkSize, TraceChunkPool.DefaultMaxKept));
        services.AddSingleton<SipEndpoint>();
        services.AddSingleton<TrunkDirectory>();
        services.AddSingleton<TransferRulesDirectory>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<CallRegistry>();
        services.AddSingleton<SignalingTelemetry>();
        services.AddSingleton<LegActions>();
        services.AddSingleton<MediaAnchor>();
        services.AddSingleton<EndpointInvites>();
        services.AddSingleton<CallTerminator>();
        services.AddSingleton<EndpointDialer>();
        services.AddSingleton<InboundCallHandler>();
        services.AddSingleton<InDialogHandler>();
        services.AddSingleton<TargetHostResolver>();
        services.AddSingleton<ReferHandler>();
        services.AddSingleton<TargetDialer>();
        services.AddSingleton<TransferLegs>();
        services.AddSingleton<SipDrain>();
        services.AddSingleton<RequestRouter>();
        services.AddSingleton<CallEventPublisher>();
        services.AddHostedService(p => p.GetRequiredService<CallEventPublisher>());
        services.AddSingleton<SipTraceFlusher>();
        services.AddHostedService(p => p.GetRequiredService<SipTraceFlusher>());
        services.AddHostedService<SipListener>();
        return builder;
    }

    private static string InstanceQueue(IServiceCollection services) =>
        services.Select(d => d.ImplementationInstance).OfType<ServiceIdentity>().FirstOrDefault()?.InstanceId
        ?? throw new InvalidOperationException("AddServiceDefaults must run before AddSignaling.");

    /// <summary>
    /// How long this instance's queue outlives its last consumer: an instance that stopped for good (a restart takes a
    /// new id) leaves a queue that rule and trunk changes keep filling, and RabbitMQ deletes it after this. An hour
    /// covers any broker outage the instance rides out with its calls.
    /// </summary>
    public static readonly TimeSpan InstanceQueueExpiry = TimeSpan.FromHours(1);

    /// <summary>
    /// One message at a time keeps the commands in the order the saga sent them (NOTIFY 100 before 180); each call then
    /// runs its own in that order, beside other calls (<see cref="CommandLane"/>). The queue is durable and expires
    /// <see cref="InstanceQueueExpiry"/> after its instance stops; senders address its exchange (<c>exchange:</c> and
    /// the queue's name), because a <c>queue:</c> send would declare the queue again without the expiry and be refused.
    /// </summary>
    private static void Configure(IEndpointRegistrationConfigurator endpoint, string queue)
    {
        endpoint.Name = queue;
        endpoint.ConcurrentMessageLimit = 1;
        endpoint.AddConfigureEndpointCallback(configurator =>
        {
            if (configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.QueueExpiration = InstanceQueueExpiry;
            }
        });
    }
}
