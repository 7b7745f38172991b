using Microsoft.Extensions.Time.Testing;
using Trunk.Signaling.Calls;

namespace Trunk.Signaling.Tests.Calls;

/// <summary>The calls-per-second limits (503 with Retry-After beyond them).</summary>
public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void When_a_sender_at_the_limit_lags_then_catches_up_Should_accept_every_call()
    {
        var limiter = new RateLimiter(_time);

        // 100 calls/s on average: 98 in one second, 102 in the next (as SIPp sends when it falls behind and catches up).
        var refused = Offer(limiter, 98, TimeSpan.FromSeconds(1)) + Offer(limiter, 102, TimeSpan.FromSeconds(1));

        Assert.Equal(0, refused);
    }

    [Fact]
    public void When_a_sender_keeps_over_the_limit_Should_refuse_all_but_the_limit()
    {
        var limiter = new RateLimiter(_time);

        var refused = Offer(limiter, 1500, TimeSpan.FromSeconds(5));

        // 300 calls/s offered for 5 s at a limit of 100: 500 refill, plus one second's worth held at the start.
        Assert.InRange(1500 - refused, 500, 601);
    }

    [Fact]
    public void When_keys_differ_Should_limit_each_on_its_own()
    {
        var limiter = new RateLimiter(_time);

        Assert.True(limiter.TryAcquire("source:a", 1));
        Assert.False(limiter.TryAcquire("source:a", 1));
        Assert.True(limiter.TryAcquire("source:b", 1));
    }

    /// <summary>Offers <paramref name="calls"/> evenly over <paramref name="span"/> at a limit of 100/s; returns how many were refused.</summary>
    private int Offer(RateLimiter limiter, int calls, TimeSpan span)
    {
        var refused = 0;
        for (var i = 0; i < calls; i++)
        {
            _time.Advance(span / calls);
            refused += limiter.TryAcquire("source:127.0.0.1", 100) ? 0 : 1;
        }

        return refused;
    }
}
