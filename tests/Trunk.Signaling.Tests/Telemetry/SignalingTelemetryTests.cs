using Trunk.Signaling.Telemetry;

namespace Trunk.Signaling.Tests.Telemetry;

/// <summary>
/// A REFER outcome's reason becomes a metric label: it keeps the words and drops what names one target, so the
/// number of series stays bounded whatever numbers and hosts the endpoints send.
/// </summary>
public sealed class SignalingTelemetryTests
{
    [Theory]
    [InlineData("no rate for +4930123456", "no rate for")]
    [InlineData("Refer-To host 'evil.example' is not the trunk's domain", "Refer-To host")]
    [InlineData("premium destination not enabled (900 prefix)", "premium destination not enabled")]
    [InlineData("no geo permission for DE", "no geo permission for DE")]
    [InlineData("Missing Refer-To", "Missing Refer-To")]
    [InlineData("", "unspecified")]
    [InlineData(null, "unspecified")]
    [InlineData("+4930123456", "unspecified")]
    public void When_a_reason_names_a_target_Should_label_only_its_fixed_part(string? reason, string label) =>
        Assert.Equal(label, SignalingTelemetry.FixedPart(reason));

    [Fact]
    public void When_a_reason_is_long_Should_cut_the_label_at_64_characters() =>
        Assert.Equal(64, SignalingTelemetry.FixedPart(new string('x', 500)).Length);
}
