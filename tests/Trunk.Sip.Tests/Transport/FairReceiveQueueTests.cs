using System.Net;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Transport;

public sealed class FairReceiveQueueTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Caller = IPAddress.Parse("127.0.0.1");

    [Fact]
    public async Task When_one_source_floods_Should_serve_the_other_source_in_turn()
    {
        var queue = new FairReceiveQueue<string>(perSourceCapacity: 100);
        for (var i = 0; i < 100; i++)
        {
            queue.TryEnqueue(Flooder, $"flood {i}");
        }

        queue.TryEnqueue(Caller, "call 1");
        queue.TryEnqueue(Caller, "call 2");

        var firstFour = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (source, item) = await queue.DequeueAsync(CancellationToken.None);
            firstFour.Add(item);
            queue.Complete(source);
        }

        Assert.Equal(["flood 0", "call 1", "flood 1", "call 2"], firstFour);
    }

    [Fact]
    public void When_a_source_queue_is_full_Should_drop_and_count_without_touching_others()
    {
        var queue = new FairReceiveQueue<int>(perSourceCapacity: 10);
        var accepted = Enumerable.Range(0, 25).Count(i => queue.TryEnqueue(Flooder, i));

        Assert.Equal(10, accepted);
        Assert.Equal(15, queue.Dropped);
        Assert.True(queue.TryEnqueue(Caller, 1));
    }

    [Fact]
    public async Task When_a_source_drains_Should_accept_it_again()
    {
        var queue = new FairReceiveQueue<int>(perSourceCapacity: 1);
        Assert.True(queue.TryEnqueue(Caller, 1));
        Assert.False(queue.TryEnqueue(Caller, 2));

        var (source, item) = await queue.DequeueAsync(CancellationToken.None);
        Assert.Equal(1, item);
        queue.Complete(source);
        Assert.True(queue.TryEnqueue(Caller, 3));
    }

    [Fact]
    public async Task When_a_sources_item_is_in_flight_Should_hold_its_next_item_until_completed()
    {
        var queue = new FairReceiveQueue<string>(perSourceCapacity: 10);
        queue.TryEnqueue(Caller, "180");
        queue.TryEnqueue(Caller, "200");
        queue.TryEnqueue(Flooder, "other");

        var first = await queue.DequeueAsync(CancellationToken.None);
        var second = await queue.DequeueAsync(CancellationToken.None);
        var third = queue.DequeueAsync(CancellationToken.None);

        Assert.Equal("180", first.Item);
        Assert.Equal("other", second.Item);
        Assert.False(third.IsCompleted);
        queue.Complete(first.Source);
        Assert.Equal("200", (await third).Item);
    }

    [Fact]
    public async Task When_empty_Should_wait_until_cancelled()
    {
        var queue = new FairReceiveQueue<int>(perSourceCapacity: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DequeueAsync(cts.Token).AsTask());
    }
}
