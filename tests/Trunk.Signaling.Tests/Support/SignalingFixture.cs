using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Testing;

namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// One real Signaling host (a process, SIP on a free loopback port) and one test bus on the same RabbitMQ playing
/// Policy and the Transfer saga, shared by the end-to-end tests.
/// </summary>
public sealed class SignalingFixture : IAsyncLifetime
{
    private ServiceProvider? _provider;
    private IBusControl? _bus;

    internal TrunkWorld World { get; } = new();

    public int SipPort { get; } = FreePort.UdpAndTcp();

    public ServiceProcess Host { get; private set; } = null!;

    /// <summary>The test's own bus, where the Policy and saga doubles consume.</summary>
    internal IBus Bus => _bus ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The Policy double's own queue: Signaling's trunk and rules lookups are sent there.</summary>
    internal static Uri PolicyAddress => new($"queue:{PolicyQueue}");

    /// <summary>
    /// How long Signaling holds a REFER for the saga double's decision. 1 s was too short in a clean-clone CI run, every
    /// test project starting at once on two cores: a REFER whose decision came later got 503 instead of 202.
    /// </summary>
    public const string DecisionTimeout = "00:00:03";

    /// <summary>The host's advertised address: a loopback address other than the one SIPp sends to.</summary>
    public const string AdvertisedAddress = "127.0.0.2";

    /// <summary>
    /// This run's own Policy queue, so that neither a real Policy nor another run of these tests on the same broker (another
    /// engineer's, with other trunks) answers our lookups.
    /// </summary>
    private static readonly string PolicyQueue = $"signaling-tests-policy-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(World);
        services.AddSingleton(TimeProvider.System);
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<PolicyDouble>();
            bus.AddConsumer<SagaDouble>();
            foreach (var recorder in EventRecorder<Contracts.Calls.CallEnded>.ForAllEvents())
            {
                bus.AddConsumer(recorder);
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, host =>
                {
                    host.Username(TestInfrastructure.RabbitUsername);
                    host.Password(TestInfrastructure.RabbitPassword);
                });
                rabbit.ReceiveEndpoint(PolicyQueue, endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.Bind<Contracts.Policy.ReserveFunds>();
                    endpoint.ConfigureConsumer<PolicyDouble>(context);
                });
                rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition("signaling-tests"), endpoint =>
                {
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.ConfigureConsumer<SagaDouble>(context);
                    foreach (var recorder in EventRecorder<Contracts.Calls.CallEnded>.ForAllEvents())
                    {
                        endpoint.ConfigureConsumer(context, recorder);
                    }
                });
            });
        });
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IBusControl>();
        await _bus.StartAsync();

        // Every interface, reached through an advertised address of its own: Via and Contact must never say 0.0.0.0.
        var settings = HostSettings(SipPort);
        settings["Sip__ListenAddress"] = "0.0.0.0";
        settings["Sip__AdvertisedAddress"] = AdvertisedAddress;
        Host = ServiceProcess.Start("Signaling", settings);
        await Host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
    }

    /// <summary>The settings of a Signaling host on loopback that this fixture's Policy and saga doubles serve.</summary>
    internal static Dictionary<string, string?> HostSettings(int sipPort) => new()
    {
        ["Sip__ListenAddress"] = "127.0.0.1",
        ["Sip__Port"] = sipPort.ToString(CultureInfo.InvariantCulture),
        ["Sip__EndpointResponseTimeout"] = "00:00:01",
        ["Sip__CallsPerSecondPerSource"] = "2000",
        ["Transfer__DecisionTimeout"] = DecisionTimeout,
        // A first look-up in a cold run (every test project starting at once on two cores) took over the 2 s default.
        ["Sip__TrunkLookupTimeout"] = "00:00:10",
        ["Transfer__RulesLookupTimeout"] = "00:00:10",
        ["Sip__TrunkLookupAddress"] = $"queue:{PolicyQueue}",
        ["Transfer__RulesLookupAddress"] = $"queue:{PolicyQueue}",
        // No Media service runs here: an anchored trunk's allocation goes to a queue nobody reads and times out.
        ["Media__AllocationAddress"] = "queue:signaling-tests-no-media?durable=false&autodelete=true",
        ["Media__RequestTimeout"] = "00:00:00.300",
    };

    /// <summary>For a failure message: the end of the Signaling host's log.</summary>
    public string Diagnostics() => "--- Signaling ---\n" + Trunk.Testing.Sip.Sipp.Tail(Host.Output);

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await DeletePolicyQueueAsync();
    }

    /// <summary>The Policy queue is this run's alone: it goes with the run (the host declares it durable, as a <c>queue:</c> send does).</summary>
    private static async Task DeletePolicyQueueAsync()
    {
        var factory = new RabbitMQ.Client.ConnectionFactory
        {
            HostName = TestInfrastructure.RabbitHost,
            Port = TestInfrastructure.RabbitPort,
            VirtualHost = TestInfrastructure.RabbitVirtualHost,
            UserName = TestInfrastructure.RabbitUsername,
            Password = TestInfrastructure.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(PolicyQueue, ifUnused: false, ifEmpty: false);
    }
}

[CollectionDefinition(Name)]
public sealed class SignalingCollection : ICollectionFixture<SignalingFixture>
{
    public const string Name = "Signaling end to end";
}
