using System.Text.Json.Serialization;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http.Json;
using Trunk.Policy.Accounts;
using Trunk.Policy.Api;
using Trunk.Policy.Balances;
using Trunk.Policy.Rates;
using Trunk.Policy.Seed;
using Trunk.Policy.Telemetry;
using Trunk.Policy.Transfers;
using Trunk.Policy.Trunks;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Persistence;

namespace Trunk.Policy;

/// <summary>Registration and routes of the Policy service, so that Program.cs stays a dozen lines.</summary>
public static class PolicyExtensions
{
    public static WebApplicationBuilder AddPolicy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(PolicySettings.Section);
        builder.Services.AddValidatedSettings<PolicySettings, PolicySettingsValidator>().Bind(section);
        var settings = section.PeekSettings<PolicySettings>();

        builder.AddTrunkBus(bus => ConfigureBus(bus, settings.QueuePrefix));
        builder.AddTrunkMarten(store => ConfigureStore(store, settings.Schema));
        builder.Services.AddSingleton<BalanceLedger>();
        builder.Services.AddSingleton<ReservationExpirer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReservationExpirer>());
        builder.Services.AddSingleton<PolicyTelemetry>();
        builder.Services.AddScoped<TrunkPublisher>();
        builder.Services.AddScoped<TransferRulesPublisher>();
        builder.Services.AddSingleton<RateBookPushes>();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<PolicyExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();

        if (settings.SeedDemoData ?? builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<DemoSeed>();
        }

        return builder;
    }

    public static WebApplication MapPolicyApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapAccounts();
        app.MapGeoPermissions();
        app.MapBalances();
        app.MapTrunks();
        app.MapDids();
        app.MapRates();
        return app;
    }

    /// <summary>
    /// Where Policy sends to one of its own queues: the queue's exchange, declared as <see cref="ConfigureBus"/> declares
    /// the queue's endpoint (auto-deleted when the queues are prefixed for tests). A send to the queue itself would
    /// declare it without the endpoint's settings.
    /// </summary>
    internal static Uri OwnQueueAddress(string? queuePrefix, string queue) =>
        new(string.IsNullOrEmpty(queuePrefix) ? $"exchange:{queue}" : $"exchange:{queuePrefix}{queue}?autodelete=true");

    private static void ConfigureBus(IBusRegistrationConfigurator bus, string? queuePrefix)
    {
        var prefix = queuePrefix ?? "";
        bus.AddConsumer<CheckTransferConsumer>().Endpoint(e => e.Name = prefix + "policy-check-transfer");
        bus.AddConsumer<ReserveFundsConsumer>().Endpoint(e => e.Name = prefix + "policy-reserve-funds");
        bus.AddConsumer<ChargeCallConsumer>().Endpoint(e => e.Name = prefix + "policy-charge-call");
        bus.AddConsumer<GetTrunkByDidConsumer>().Endpoint(e => e.Name = prefix + "policy-get-trunk-by-did");
        bus.AddConsumer<GetTransferRulesConsumer>().Endpoint(e => e.Name = prefix + "policy-get-transfer-rules");
        bus.AddConsumer<RateBookPushConsumer>().Endpoint(e =>
        {
            e.Name = prefix + RateBookPushConsumer.Queue;
            e.ConcurrentMessageLimit = 1;
        });
        if (prefix.Length > 0)
        {
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                endpoint.ConfigureConsumeTopology = false;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.AutoDelete = true;
                }
            });
        }
    }

    private static void ConfigureStore(StoreOptions store, string? schema)
    {
        if (!string.IsNullOrEmpty(schema))
        {
            store.DatabaseSchemaName = schema;
        }

        store.Schema.For<Account>().UseOptimisticConcurrency(true);
        store.Schema.For<InboundTrunk>().UseOptimisticConcurrency(true).UniqueIndex(t => t.Domain).Index(t => t.AccountId);
        store.Schema.For<DidAssignment>();
        store.Schema.For<Rate>();
        store.Schema.For<Settlement>();
        store.Projections.Add<BalanceProjection>(ProjectionLifecycle.Inline);
        store.Events.AddEventType<BalanceToppedUp>();
        store.Events.AddEventType<FundsReserved>();
        store.Events.AddEventType<CallCharged>();
        store.Events.AddEventType<FundsReleased>();
        store.Events.AddEventType<ReservationExpired>();
    }
}
