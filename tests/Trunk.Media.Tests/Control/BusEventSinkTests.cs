using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.Media.Control;
using Trunk.ServiceDefaults;

namespace Trunk.Media.Tests.Control;

/// <summary>A stop that releases legs waits for their facts; one cut short by the host says what it left.</summary>
public sealed class BusEventSinkTests
{
    [Fact]
    public async Task When_the_hosts_stop_runs_out_of_time_while_facts_wait_Should_answer_that_facts_were_left_instead_of_throwing()
    {
        // No bus runs here: the fact stays buffered, as it would with the broker away.
        using var services = new ServiceCollection().BuildServiceProvider();
        using var identity = new ServiceIdentity("media", "sink-test");
        using var sink = new BusEventSink(services, identity, NullLogger<BusEventSink>.Instance);
        sink.Publish(new MediaBridged(Guid.NewGuid(), TimeProvider.System.GetUtcNow(), "media-test", LegSide.Caller, LegSide.Target, null), default);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        Assert.False(await sink.FlushAsync(TimeSpan.FromMinutes(1), stop.Token));
    }
}
