using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trunk.ServiceDefaults.Health;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Security;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.ServiceDefaults;

/// <summary>What every trunk host gets in one call: identity, telemetry, health and a bounded shutdown.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Readiness checks carry this tag; liveness runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Kubernetes sends SIGTERM and waits 30 s by default; we promise to be gone within 10 s.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        var instanceId = builder.Configuration["Service:InstanceId"];
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            instanceId = $"{serviceName}-{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}";
        }

        var identity = new ServiceIdentity(serviceName, instanceId);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddSingleton<SettingsValidation>();
        builder.Services.AddValidatedSettings<ApiSettings, ApiSettingsValidator>().Bind(builder.Configuration.GetSection(ApiSettings.Section));
        builder.AddTrunkTelemetry(identity);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> runs every dependency check and
    /// names the one that failed. Both are mapped in every environment: Kubernetes probes need them. <c>/metrics</c>
    /// is the Prometheus scrape endpoint of the same metrics that go over OTLP.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
