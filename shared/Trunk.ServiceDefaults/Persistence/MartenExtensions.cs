using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.ServiceDefaults.Health;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Settings;
using Weasel.Core;

namespace Trunk.ServiceDefaults.Persistence;

/// <summary>Marten on the service's own PostgreSQL schema, with the trunk's serialization and event metadata.</summary>
public static class MartenExtensions
{
    /// <summary>The readiness check's name for the database.</summary>
    public const string HealthCheckName = "postgresql";

    /// <summary>Adds the store; <paramref name="asyncDaemon"/> runs the async projections in this process (off by default).</summary>
    public static IHostApplicationBuilder AddTrunkMarten(
        this IHostApplicationBuilder builder,
        Action<StoreOptions>? configure = null,
        DaemonMode asyncDaemon = DaemonMode.Disabled)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddValidatedSettings<PostgresSettings, PostgresSettingsValidator>()
            .Configure(settings =>
            {
                settings.ConnectionString = builder.Configuration.GetConnectionString(PostgresSettings.ConnectionStringName) ?? "";
                settings.ApplySchemaOnStart = builder.Configuration.GetValue("Postgres:ApplySchemaOnStart", isDevelopment);
            });

        builder.Services.AddMarten(services =>
        {
            var settings = services.GetRequiredService<IOptions<PostgresSettings>>().Value;
            var identity = services.GetRequiredService<ServiceIdentity>();
            var store = new StoreOptions();
            store.Connection(WithServiceDefaults(settings.ConnectionString, identity.Name));
            store.DatabaseSchemaName = identity.Name.Replace('-', '_');
            store.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            store.Events.MetadataConfig.CorrelationIdEnabled = true;
            store.Events.MetadataConfig.CausationIdEnabled = true;
            store.Events.MetadataConfig.HeadersEnabled = true;
            store.Events.StreamIdentity = StreamIdentity.AsGuid;
            store.AutoCreateSchemaObjects = settings.ApplySchemaOnStart ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            configure?.Invoke(store);
            return store;
        }).UseLightweightSessions().AddAsyncDaemon(asyncDaemon);

        builder.Services.AddSingleton<MartenWarmUp>();
        builder.Services.AddHostedService<MartenSchemaInitializer>();
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>(HealthCheckName, tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// The connection string with the trunk's defaults where it sets none of its own: Npgsql's automatic preparation on,
    /// because every service repeats a few statements many times (CallHistory's appends, the saga's loads and commits,
    /// Policy's ledger), and a prepared statement is not parsed and planned again (half of PostgreSQL's CPU per
    /// CallHistory event before, bench/results/callhistory.md); and the service's name as the application name, so that
    /// <c>pg_stat_activity</c> and PostgreSQL's log say which service a connection or a slow statement belongs to. A
    /// string Npgsql cannot read is left as it is: the settings' validation reports it.
    /// </summary>
    public static string WithServiceDefaults(string connectionString, string service)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 64;
                builder.AutoPrepareMinUsages = 2;
            }

            if (string.IsNullOrEmpty(builder.ApplicationName))
            {
                builder.ApplicationName = service;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return connectionString;
        }
    }
}
