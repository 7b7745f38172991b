using Microsoft.Extensions.Configuration;
using Trunk.ServiceDefaults.Messaging;

namespace Trunk.ServiceDefaults.Tests.Messaging;

public sealed class RedeliverySettingsTests
{
    [Fact]
    public void When_no_intervals_are_configured_Should_redeliver_after_10_s_1_min_and_5_min()
    {
        var settings = Bind([]);

        Assert.True(new RedeliverySettingsValidator().Validate(null, settings).Succeeded);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)], settings.IntervalsOrDefault());
    }

    [Fact]
    public void When_intervals_are_configured_Should_use_those_instead_of_the_defaults()
    {
        var settings = Bind(new() { ["RabbitMq:Redelivery:Intervals:0"] = "00:00:30", ["RabbitMq:Redelivery:Intervals:1"] = "00:02:00" });

        Assert.True(new RedeliverySettingsValidator().Validate(null, settings).Succeeded);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)], settings.IntervalsOrDefault());
    }

    [Fact]
    public void When_intervals_are_bad_Should_name_each_one()
    {
        var settings = Bind(new()
        {
            ["RabbitMq:Redelivery:Intervals:0"] = "00:00:00",
            ["RabbitMq:Redelivery:Intervals:1"] = "00:00:01.500",
            ["RabbitMq:Redelivery:Intervals:2"] = "2.00:00:00",
            ["RabbitMq:Redelivery:Intervals:3"] = "00:00:10",
        });

        Assert.Equal(
            [
                "RabbitMq:Redelivery:Intervals:0 must be whole seconds from 00:00:01 to 1.00:00:00 (was 00:00:00).",
                "RabbitMq:Redelivery:Intervals:1 must be whole seconds from 00:00:01 to 1.00:00:00 (was 00:00:01.5000000).",
                "RabbitMq:Redelivery:Intervals:2 must be whole seconds from 00:00:01 to 1.00:00:00 (was 2.00:00:00).",
            ],
            new RedeliverySettingsValidator().Validate(null, settings).Failures);
    }

    [Fact]
    public void When_there_are_too_many_intervals_Should_say_how_many_are_allowed()
    {
        var settings = new RedeliverySettings { Intervals = [.. Enumerable.Repeat(TimeSpan.FromSeconds(1), 11)] };

        Assert.Equal(
            ["RabbitMq:Redelivery:Intervals may hold at most 10 intervals (has 11)."],
            new RedeliverySettingsValidator().Validate(null, settings).Failures);
    }

    private static RedeliverySettings Bind(Dictionary<string, string?> configuration)
    {
        var settings = new RedeliverySettings();
        new ConfigurationBuilder().AddInMemoryCollection(configuration).Build().GetSection(RedeliverySettings.Section).Bind(settings);
        return settings;
    }
}
