using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Trunk.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Marten's own activity source and meter.</summary>
    private const string MartenTelemetryName = "Marten";

    public static void AddTrunkTelemetry(this IHostApplicationBuilder builder, ServiceIdentity identity)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: identity.Name,
                serviceNamespace: "trunk",
                serviceInstanceId: identity.InstanceId))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(InstrumentationOptions.MeterName, MartenTelemetryName, identity.TelemetryName)
                    .AddPrometheusExporter();
                foreach (var histogram in TrunkMetrics.All.Where(m => m.Kind == TrunkMetricKind.Histogram))
                {
                    metrics.AddView(histogram.Name, new ExplicitBucketHistogramConfiguration { Boundaries = TrunkMetrics.SecondsBuckets });
                }
            })
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                    && !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(DiagnosticHeaders.DefaultListenerName, MartenTelemetryName, identity.TelemetryName));

        // eShop's rule: export only when an endpoint is configured, so a laptop run needs no collector.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }
}
