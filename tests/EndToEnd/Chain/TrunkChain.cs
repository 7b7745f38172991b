using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Trunk.Testing;
using Trunk.Testing.Sip;

namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>
/// The whole trunk as processes, as scripts/start-trunk runs it: Signaling (SIP on a free loopback port), Transfer,
/// Policy, Media (RTP on loopback ports of its own) and CallHistory on the real RabbitMQ (this project's virtual host) and a database of their own, created
/// empty for each run so that no other test project's rows or outbox messages reach them.
/// </summary>
public sealed class TrunkChain : IAsyncLifetime
{
    /// <summary>The chain's database (<c>TRUNK_TEST_E2E_DATABASE</c> lets two runs on one machine keep apart, with two RabbitMQ vhosts).</summary>
    private static readonly string Database = Environment.GetEnvironmentVariable("TRUNK_TEST_E2E_DATABASE") is { Length: > 0 } name ? name : "trunk_e2e";
    private readonly List<ServiceProcess> _services = [];

    public int SipPort { get; } = FreePort.UdpAndTcp();

    /// <summary>Where every service exports its traces (OTLP over HTTP), as they would to the collector in compose.</summary>
    public OtlpTraceReceiver Traces { get; } = new();

    public ServiceProcess Signaling { get; private set; } = null!;

    public ServiceProcess Policy { get; private set; } = null!;

    public ServiceProcess Transfer { get; private set; } = null!;

    public ServiceProcess CallHistory { get; private set; } = null!;

    public ServiceProcess Media { get; private set; } = null!;

    /// <summary>
    /// For a failure message: every service's whole log written to <c>logs/</c> in the test output, and the tail of
    /// each in the message.
    /// </summary>
    public string Logs()
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "logs")).FullName;
        foreach (var service in _services)
        {
            File.WriteAllText(Path.Combine(folder, service.Service + ".log"), service.Output);
        }

        return $"(whole logs in {folder})" + string.Concat(_services.Select(s => $"\n--- {s.Service} ---\n{Sipp.Tail(s.Output, 3000)}"));
    }

    /// <summary>Polls CallHistory until the call to <paramref name="did"/> has a summary that <paramref name="until"/> accepts.</summary>
    public async Task<JsonElement> CallToAsync(string did, Func<JsonElement, bool> until)
    {
        var calls = await EventuallyAsync(
            async () => (await CallHistory.Http.GetFromJsonAsync<JsonElement>(new Uri(
                    $"/calls?did={Uri.EscapeDataString(did)}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}",
                    UriKind.Relative)))
                .GetProperty("calls").EnumerateArray().ToList(),
            calls => calls.Any(until),
            calls => $"CallHistory never showed the expected call to {did}; last summary: {calls.LastOrDefault()}\n{Logs()}");
        return calls.First(until);
    }

    /// <summary>Reads until <paramref name="done"/> accepts the reading (for up to 20 s); else fails with <paramref name="failure"/> of the last one.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> failure)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(failure);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var reading = await read();
        while (!done(reading))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(failure(reading));
            }

            await Task.Delay(200);
            reading = await read();
        }

        return reading;
    }

    public async Task InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Postgres__ApplySchemaOnStart"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Traces.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        Policy = Start("Policy", common);
        // Deadlines far above the latencies they guard: these tests prove behaviour on a CI machine that runs every
        // test project at once; the REFER's timings are measured in bench/.
        Transfer = Start("Transfer", common, ("Transfer__SchedulerPollInterval", "00:00:00.100"), ("Transfer__PolicyDeadline", "00:00:08"));
        CallHistory = Start("CallHistory", common);
        Media = Start("Media", common, ("Media__BindAddress", "127.0.0.1"), ("Media__PortMin", "47000"), ("Media__PortMax", "47199"));
        Signaling = Start("Signaling", common,
            ("Sip__ListenAddress", "127.0.0.1"),
            ("Sip__Port", SipPort.ToString(CultureInfo.InvariantCulture)),
            ("Sip__EndpointResponseTimeout", "00:00:02"),
            ("Transfer__DecisionTimeout", "00:00:10"),
            ("Media__RequestTimeout", "00:00:05"));
        await Task.WhenAll(_services.Select(s => s.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(90))));
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        await Traces.DisposeAsync();
    }

    private ServiceProcess Start(string service, Dictionary<string, string?> common, params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>(common);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var process = ServiceProcess.Start(service, all);
        _services.Add(process);
        return process;
    }

    private static async Task<string> CreateDatabaseAsync()
    {
        await using (var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresConnectionString) { Database = Database }.ConnectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class TrunkChainCollection : ICollectionFixture<TrunkChain>
{
    public const string Name = "The whole trunk";
}
