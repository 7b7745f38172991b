using System.Globalization;

namespace Trunk.Media.Tests;

public sealed class MediaSettingsValidatorTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:30")]
    [InlineData("01:00:00")]
    public void When_the_drain_timeout_is_between_0_and_an_hour_Should_pass(string drain)
    {
        var result = new MediaSettingsValidator().Validate(null, new MediaSettings { DrainTimeout = TimeSpan.Parse(drain, CultureInfo.InvariantCulture) });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void When_the_drain_timeout_is_negative_or_over_an_hour_Should_name_the_setting(string drain)
    {
        var result = new MediaSettingsValidator().Validate(null, new MediaSettings { DrainTimeout = TimeSpan.Parse(drain, CultureInfo.InvariantCulture) });

        Assert.StartsWith("Media:DrainTimeout must be between 00:00:00 and 01:00:00", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
