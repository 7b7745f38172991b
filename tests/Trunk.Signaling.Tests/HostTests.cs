using Trunk.Testing;

namespace Trunk.Signaling.Tests;

/// <summary>The Signaling host keeps the promises of every trunk host (see <see cref="HostSpecification"/>), and says so of its own settings.</summary>
public sealed class HostTests() : HostSpecification("Signaling")
{
    /// <summary>The drain's setting also sizes the host's shutdown: a bad one is reported like any other, not a crash of the host's build.</summary>
    [Fact]
    public Task When_the_drain_timeout_is_over_an_hour_Should_exit_78_naming_it() =>
        AssertRefusedAsync(("Sip__DrainTimeout", "02:00:00"), "Sip:DrainTimeout must be between 00:00:00 and 01:00:00 (was 02:00:00).");
}
