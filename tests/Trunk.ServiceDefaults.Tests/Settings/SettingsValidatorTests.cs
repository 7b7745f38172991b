using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Tests.Settings;

public sealed class SettingsValidatorTests
{
    [Fact]
    public void When_RabbitMQ_settings_are_complete_Should_pass()
    {
        var result = new RabbitMqSettingsValidator().Validate(null, new RabbitMqSettings { Host = "rabbit", Username = "u", Password = "p" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void When_RabbitMQ_settings_are_empty_Should_name_every_missing_key()
    {
        var result = new RabbitMqSettingsValidator().Validate(null, new RabbitMqSettings { Port = 0, PrefetchCount = 0 });

        Assert.Equal(
            [
                "RabbitMq:Host is required.",
                "RabbitMq:Username is required.",
                "RabbitMq:Password is required.",
                "RabbitMq:Port must be a port between 1 and 65535 (was 0).",
                "RabbitMq:PrefetchCount must be between 1 and 10000 (was 0).",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData("", "ConnectionStrings:Postgres is required.")]
    [InlineData("Database=trunk", "ConnectionStrings:Postgres has no Host.")]
    [InlineData("Hots=typo", "ConnectionStrings:Postgres is not a valid PostgreSQL connection string")]
    public void When_the_PostgreSQL_connection_string_is_bad_Should_name_it(string connectionString, string expected)
    {
        var result = new PostgresSettingsValidator().Validate(null, new PostgresSettings { ConnectionString = connectionString });

        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
