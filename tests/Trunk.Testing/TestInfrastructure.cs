namespace Trunk.Testing;

/// <summary>
/// Where the real servers are that scripts/test (and .ci/run) started. Override with environment variables to
/// point the tests at other servers.
/// </summary>
public static class TestInfrastructure
{
    public static string RabbitHost => Get("TRUNK_TEST_RABBIT_HOST", "127.0.0.1");

    public static int RabbitPort => int.Parse(Get("TRUNK_TEST_RABBIT_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Each test project has a virtual host of its own (<c>test-Trunk.Policy.Tests</c>, …; scripts/test creates
    /// them), so that projects running in parallel never consume each other's published messages.
    /// </summary>
    public static string RabbitVirtualHost => Get("TRUNK_TEST_RABBIT_VHOST", "test-" + TestAssemblyName);

    public static string RabbitUsername => Get("TRUNK_TEST_RABBIT_USER", "trunk");

    public static string RabbitPassword => Get("TRUNK_TEST_RABBIT_PASSWORD", "trunk");

    public static string PostgresConnectionString =>
        Get("TRUNK_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Database=trunk;Username=trunk;Password=trunk");

    /// <summary>The settings a service host needs to reach the test servers, as environment variables.</summary>
    public static IReadOnlyDictionary<string, string> ServiceEnvironment => new Dictionary<string, string>
    {
        ["RabbitMq__Host"] = RabbitHost,
        ["RabbitMq__Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__VirtualHost"] = RabbitVirtualHost,
        ["RabbitMq__Username"] = RabbitUsername,
        ["RabbitMq__Password"] = RabbitPassword,
        ["ConnectionStrings__Postgres"] = PostgresConnectionString,
    };

    /// <summary>The settings a host built inside the test process needs to reach the test RabbitMQ, as configuration keys.</summary>
    public static IReadOnlyDictionary<string, string?> RabbitConfiguration => new Dictionary<string, string?>
    {
        ["RabbitMq:Host"] = RabbitHost,
        ["RabbitMq:Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = RabbitVirtualHost,
        ["RabbitMq:Username"] = RabbitUsername,
        ["RabbitMq:Password"] = RabbitPassword,
    };

    /// <summary>A RabbitMQ client for the test broker's virtual host, for what a test does on the broker itself (a queue it reads or deletes).</summary>
    public static RabbitMQ.Client.ConnectionFactory RabbitConnectionFactory() => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        VirtualHost = RabbitVirtualHost,
        UserName = RabbitUsername,
        Password = RabbitPassword,
    };

    private static string TestAssemblyName { get; } = Path.GetFileNameWithoutExtension(
        Directory.GetFiles(AppContext.BaseDirectory, "*.Tests.dll").Single());

    private static string Get(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
