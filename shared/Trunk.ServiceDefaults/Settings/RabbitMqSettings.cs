namespace Trunk.ServiceDefaults.Settings;

/// <summary>The RabbitMQ broker every service connects to (section <c>RabbitMq</c>).</summary>
public sealed class RabbitMqSettings
{
    public const string Section = "RabbitMq";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>How many messages each receive endpoint takes from the broker ahead of processing.</summary>
    public int PrefetchCount { get; set; } = 32;
}
