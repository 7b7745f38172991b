using MassTransit;
using Microsoft.Extensions.Options;
using Trunk.Media.Control;
using Trunk.Media.Relay;
using Trunk.Media.Telemetry;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;

namespace Trunk.Media;

/// <summary>Registration of the Media service: the relay, the calls it anchors, its two bus endpoints and its drain at the stop.</summary>
public static class MediaExtensions
{
    public static WebApplicationBuilder AddMedia(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(MediaSettings.Section);
        builder.Services.AddValidatedSettings<MediaSettings, MediaSettingsValidator>().Bind(section);
        var prefix = section.PeekSettings<MediaSettings>().QueuePrefix ?? "";
        var identity = builder.Services.Select(d => d.ImplementationInstance).OfType<ServiceIdentity>().FirstOrDefault()
            ?? throw new InvalidOperationException("AddServiceDefaults must run before AddMedia.");
        var queue = new InstanceQueue(prefix + identity.InstanceId);

        builder.Services.AddSingleton(queue);
        builder.Services.AddSingleton<BusEventSink>();
        builder.Services.AddSingleton<IMediaEventSink>(p => new MediaTelemetry(p.GetRequiredService<BusEventSink>(), identity));
        builder.Services.AddHostedService(p => p.GetRequiredService<BusEventSink>());
        builder.Services.AddSingleton(p => new RelayEngine(
            p.GetRequiredService<IOptions<MediaSettings>>().Value,
            p.GetRequiredService<IMediaEventSink>(),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<ILogger<RelayEngine>>(),
            identity.InstanceId));
        builder.Services.AddSingleton(p => new MediaCalls(
            p.GetRequiredService<RelayEngine>(),
            p.GetRequiredService<IOptions<MediaSettings>>().Value,
            p.GetRequiredService<ILogger<MediaCalls>>()));
        builder.Services.AddHostedService<RelayHost>();

        // A stop drains the calls first (MediaDrain): the shutdown's budget grows by the drain.
        builder.Services.AddDrainToShutdown<MediaSettings>(media => media.DrainTimeout);

        builder.AddTrunkBus(bus =>
        {
            // The shared queue is read through an endpoint of its own (MediaDrain), which a stop ends alone.
            bus.AddConsumer<AllocateMediaConsumer>().ExcludeFromConfigureEndpoints();
            bus.AddConsumer<MediaCommandConsumer>().Endpoint(e =>
            {
                e.Name = queue.Name;
                e.ConcurrentMessageLimit = 1;
            });
            bus.AddConfigureEndpointsCallback((name, endpoint) =>
            {
                // The instance queue takes only what is sent to it: bound to the exchanges, it would also get every
                // published AllocateMedia. It goes away with the instance.
                if (name == queue.Name)
                {
                    endpoint.ConfigureConsumeTopology = false;
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.AutoDelete = true;
                    }
                }
            });
        });
        builder.Services.AddHostedService<MediaDrain>();
        return builder;
    }
}
