using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Marten.Events;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.CallHistory.CallSummaries;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Support;

/// <summary>
/// The CallHistory host in this process on a free port, against the real PostgreSQL and RabbitMQ, with its own
/// schema and its own auto-deleted event queue, so that test classes run in parallel and again and again.
/// </summary>
public sealed class CallHistoryHost : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly bool _ownsSchema;
    private readonly bool _runDaemon;
    private InProcessHost? _host;

    public CallHistoryHost()
        : this(null, runDaemon: true)
    {
    }

    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    private CallHistoryHost(string? schema, bool runDaemon, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        _extraSettings = extraSettings ?? new Dictionary<string, string?>();
        _ownsSchema = schema is null;
        Schema = schema ?? $"callhistory_test_{_suffix}";
        _runDaemon = runDaemon;
    }

    public string Schema { get; }

    /// <summary>The host's own event queue (auto-deleted when the host stops).</summary>
    public string EventsQueue => $"test-{_suffix}-{CallHistoryExtensions.EventsQueue}";

    /// <summary>The bus's queue for the events the host could not store; its <c>_error</c> queue is where they end.</summary>
    public string RetryQueue => EventsQueue + CallHistoryExtensions.RetrySuffix;

    /// <summary>A host on an existing <paramref name="schema"/>, kept when it stops, with or without the async daemon.</summary>
    public static CallHistoryHost OnSchema(string schema, bool runDaemon, IReadOnlyDictionary<string, string?>? extraSettings = null) =>
        new(schema, runDaemon, extraSettings);

    public HttpClient Http => _host!.Http;

    public IServiceProvider Services => _host!.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task InitializeAsync()
    {
        _host = await InProcessHost.StartAsync(
            "callhistory",
            typeof(CallHistoryExtensions),
            new Dictionary<string, string?>
            {
                ["CallHistory:Schema"] = Schema,
                ["CallHistory:QueuePrefix"] = $"test-{_suffix}-",
                ["CallHistory:RunProjectionDaemon"] = _runDaemon ? "true" : "false",

                // One delayed redelivery of a second, so that a message that cannot be stored reaches the error queue in seconds.
                ["RabbitMq:Redelivery:Intervals:0"] = "00:00:01",

                // The tests' calls start in 2025 and later: the retention tests' host sets its own.
                ["CallHistory:Retention"] = "3650.00:00:00",
            }.Concat(_extraSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            builder => builder.AddCallHistory(),
            app => app.MapCallHistoryApi());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;

            // The bus's error and skipped queues are durable: a test's go with its host.
            await RabbitQueues.DeleteAsync(RetryQueue + "_error", RetryQueue + "_skipped");
        }

        if (_ownsSchema)
        {
            await DropSchemaAsync(Schema);
        }
    }

    public static Task DropSchemaAsync(string schema) => InProcessHost.DropSchemaAsync(schema);

    /// <summary>
    /// Publishes on the real bus as its concrete type, as Signaling, Transfer, Policy and Media do; a given id makes a
    /// redelivery.
    /// </summary>
    public Task PublishAsync(ICallEvent message, Guid? messageId = null, Guid? correlationId = null) =>
        Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context =>
        {
            context.MessageId = messageId ?? NewId.NextGuid();
            context.CorrelationId = correlationId;
        });

    /// <summary>Waits until the call's summary satisfies <paramref name="done"/>.</summary>
    public async Task<CallSummary> WaitForSummaryAsync(Guid callId, Func<CallSummary, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        CallSummary? last = null;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            await using var session = Store.QuerySession();
            last = await session.LoadAsync<CallSummary>(callId);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The summary of call {callId} never reached the expected state; last: {JsonSerializer.Serialize(last, Json)}");
    }

    /// <summary>Publishes every event of a call, each as a new message.</summary>
    public async Task PublishAllAsync(IEnumerable<ICallEvent> events)
    {
        foreach (var e in events)
        {
            await PublishAsync(e);
        }
    }

    /// <summary>Waits until the async daemon has projected every stored event.</summary>
    public Task WaitForDaemonAsync() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    /// <summary>Waits until the call's stream holds <paramref name="count"/> events, and returns its summary then.</summary>
    public async Task<CallSummary> WaitForEventsAsync(Guid callId, int count)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            await using var session = Store.QuerySession();
            if (await session.Events.FetchStreamStateAsync(callId) is { } state && state.Version >= count)
            {
                return (await session.LoadAsync<CallSummary>(callId))!;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The stream of call {callId} never held {count} events.");
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}
