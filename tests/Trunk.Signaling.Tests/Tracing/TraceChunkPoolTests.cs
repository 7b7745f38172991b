using Trunk.Signaling.Tracing;

namespace Trunk.Signaling.Tests.Tracing;

/// <summary>What the pool of trace chunks keeps: chunks given back, up to its bound, and only chunks of its size.</summary>
public sealed class TraceChunkPoolTests
{
    [Fact]
    public void When_a_chunk_is_given_back_Should_rent_the_same_chunk_next()
    {
        var pool = new TraceChunkPool(chunkSize: 64, maxKept: 4);
        var chunk = pool.Rent();
        pool.Return(chunk);

        Assert.Same(chunk, pool.Rent());
    }

    [Fact]
    public void When_more_chunks_are_given_back_than_it_keeps_Should_keep_only_its_bound()
    {
        var pool = new TraceChunkPool(chunkSize: 64, maxKept: 2);
        var chunks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        chunks.ForEach(pool.Return);

        Assert.Equal(2, pool.Kept);
    }

    [Fact]
    public void When_an_array_of_another_size_is_given_back_Should_not_keep_it()
    {
        var pool = new TraceChunkPool(chunkSize: 64, maxKept: 2);
        pool.Return(new byte[65]);

        Assert.Equal(0, pool.Kept);
        Assert.Equal(64, pool.Rent().Length);
    }
}
