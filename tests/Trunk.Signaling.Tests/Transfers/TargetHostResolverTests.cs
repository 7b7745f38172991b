using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Transfers;

namespace Trunk.Signaling.Tests.Transfers;

/// <summary>Refer-To host names resolved for the 403 of private targets (names resolved by the system: no network).</summary>
public sealed class TargetHostResolverTests
{
    // A loaded CI machine can take longer than the 500 ms default to read /etc/hosts: these tests are not about time.
    private readonly TargetHostResolver _resolver = new(
        Options.Create(new TransferSettings { TargetResolveTimeout = TimeSpan.FromSeconds(20) }), TimeProvider.System, NullLogger<TargetHostResolver>.Instance);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("pbx.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("acme.trunk.example", false)]
    [InlineData("nothing.invalid", false)]
    public async Task Should_tell_whether_a_host_leads_inside(string host, bool inside) =>
        Assert.Equal(inside, await _resolver.ResolvesInsideAsync(host));

    [Fact]
    public async Task When_asked_again_Should_answer_from_the_cache()
    {
        // This machine's own name: resolved by the system (no special-use rule answers it).
        var host = System.Net.Dns.GetHostName();
        var first = await _resolver.ResolvesInsideAsync(host);

        var again = _resolver.ResolvesInsideAsync(host.ToUpperInvariant());

        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(first, await again);
    }
}
