using System.Reflection;
using System.Text.Json.Serialization;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http.Json;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.CallSummaries;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.Pages;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Retention;
using Trunk.CallHistory.SipTraces;
using Trunk.Contracts;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Persistence;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.CallHistory;

/// <summary>Registration and routes of the CallHistory service, so that Program.cs stays a dozen lines.</summary>
public static class CallHistoryExtensions
{
    /// <summary>The queue bound to every call event's exchange, read by <see cref="CallEventQueue"/>.</summary>
    public const string EventsQueue = "callhistory-events";

    /// <summary>
    /// Added to <see cref="EventsQueue"/>: MassTransit's queue for the events <see cref="CallEventQueue"/> could not store,
    /// retried there by <see cref="CallEventConsumer{TEvent}"/>, then moved to its <c>_error</c> queue.
    /// </summary>
    public const string RetrySuffix = "-retry";

    /// <summary>How many forwarded events the retry queue's consumer takes at once: few, and each alone in its batch when it fails.</summary>
    private const int RetriesInFlight = 16;

    private static readonly MethodInfo RegisterConsumer =
        typeof(CallHistoryExtensions).GetMethod(nameof(AddCallEventConsumer), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static WebApplicationBuilder AddCallHistory(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(CallHistorySettings.Section);
        builder.Services.AddValidatedSettings<CallHistorySettings, CallHistorySettingsValidator>().Bind(section);
        var settings = section.PeekSettings<CallHistorySettings>();

        builder.Services.AddSingleton<CallEventWriter>();
        builder.AddTrunkBus(bus => ConfigureBus(bus, settings.QueuePrefix ?? ""));
        builder.Services.AddSingleton<CallEventQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CallEventQueue>());
        builder.Services.AddHealthChecks().AddCheck<CallEventQueue>(CallEventQueue.HealthCheckName, tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.AddTrunkMarten(
            store => ConfigureStore(store, settings.Schema),
            settings.RunProjectionDaemon ? DaemonMode.HotCold : DaemonMode.Disabled);
        builder.AddCallHistoryRetention();

        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapCallHistoryApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapCalls();
        app.MapHangupAnalysis();
        app.MapPages();
        return app;
    }

    private static void ConfigureBus(IBusRegistrationConfigurator bus, string prefix)
    {
        var queue = prefix + EventsQueue + RetrySuffix;
        CallEventTypes.ForEach(RegisterConsumer, [bus, queue]);
        bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
        {
            if (name == queue && prefix.Length > 0 && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
            }
        });
    }

    /// <summary>Only forwarded messages reach the retry queue: no event type's exchange is bound to it.</summary>
    private static void AddCallEventConsumer<TEvent>(IBusRegistrationConfigurator bus, string queue)
        where TEvent : class, ICallEvent =>
        bus.AddConsumer<CallEventConsumer<TEvent>>().Endpoint(e =>
        {
            e.Name = queue;
            e.ConfigureConsumeTopology = false;
            e.PrefetchCount = RetriesInFlight;
            e.ConcurrentMessageLimit = RetriesInFlight;
        });

    private static void ConfigureStore(StoreOptions store, string? schema)
    {
        if (!string.IsNullOrEmpty(schema))
        {
            store.DatabaseSchemaName = schema;
        }

        // HotCold elects one daemon per lock id and database: each schema (a test's, a tenant's) gets its own.
        store.Projections.DaemonLockId = DaemonLockId(store.DatabaseSchemaName);

        store.Events.AddEventTypes(CallEventTypes.All);

        // An event's id is the MessageId of the bus message that carried it: the unique index stores a redelivery once.
        store.Events.EnableUniqueIndexOnEventId = true;

        // Marten's own appends (none in the service: Recording.CallEventBatch writes Marten's rows itself, a batch at a
        // time) take one server-side function call per stream instead of a version lookup and an insert per event.
        store.Events.AppendMode = EventAppendMode.Quick;
        // GET /calls filters on these four: copies of them in columns of their own, each indexed, are written with the
        // summary instead of evaluating four jsonb expressions on every upsert; set once, only HangupCause changes later.
        // A schema made with the jsonb expression indexes of earlier builds gets the columns filled when it is updated.
        // A summary is rewritten on every batch that touches its call, none of its indexed columns but hangup_cause ever
        // changes, so half of each page is left free for the rewrites to stay on their page (HOT: no index entries).
        store.Schema.For<CallSummary>().Duplicate(c => c.StartedAt).Duplicate(c => c.Did).Duplicate(c => c.AccountId).Duplicate(c => c.HangupCause)
            .FillFactor(50);
        // Kept in step with the stream by the writer itself (Recording.CallEventBatch folds and upserts a batch's summaries
        // in one statement, in the append's transaction) instead of Marten's inline projection, which writes one document
        // per statement; Live, so that Marten folds a stream the same way on demand (AggregateStreamAsync).
        store.Projections.Add<CallSummaryProjection>(ProjectionLifecycle.Live);

        // Read from the call's stream when asked (SipTraces.SipTraceReader): no document rewritten on each append.
        store.Projections.Add<SipTraceProjection>(ProjectionLifecycle.Live);
        // Every hangup report reads a range of start times (HangupReportReader) and groups what it finds by the document's
        // own fields: one index, not five, is maintained for each outcome the daemon rewrites (once per event).
        // Numeric revisions (mt_version bigint: the version of the call's last event projected) as Marten's aggregation
        // made the table, which the daemon's multi-row upsert (CallOutcomeUpsert) keeps writing.
        store.Schema.For<CallOutcome>().Duplicate(o => o.StartedAt).UseNumericRevisions(true).FillFactor(50);
        // Each page of the daemon loads its calls' summaries in one query and writes their outcomes in one statement.
        store.Projections.Add(HangupAnalysisProjection.Source(), ProjectionLifecycle.Async);

        // Projection lag (issue 7: p99 under 1 s): the daemon hears of each append by NOTIFY instead of its next poll,
        // and polls (its fallback) every 100 ms while events flow.
        store.Events.UseListenNotifyForEventAppends = true;
        store.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
        store.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(500);
        store.Projections.Errors.SkipApplyErrors = false;
        store.Projections.Errors.SkipSerializationErrors = false;
        store.Projections.Errors.SkipUnknownEvents = false;
        store.Projections.RebuildErrors.SkipApplyErrors = false;
        store.Projections.RebuildErrors.SkipSerializationErrors = false;
        store.Projections.RebuildErrors.SkipUnknownEvents = false;
    }

    /// <summary>A stable advisory-lock id for the schema (FNV-1a; string.GetHashCode changes from process to process).</summary>
    private static int DaemonLockId(string schema)
    {
        var hash = 2166136261u;
        foreach (var c in schema)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
