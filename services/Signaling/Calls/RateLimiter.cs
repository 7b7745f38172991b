namespace Trunk.Signaling.Calls;

/// <summary>
/// Calls-per-second limits per key (a source address, a trunk) as token buckets: a key holds at most one second's worth
/// of calls and refills at its rate continuously. A sender that keeps to the limit on average always passes, even when it
/// lags and then catches up; a fixed one-second window refused such a sender's surplus in the catching-up second, which
/// gave load runs at 100–200 calls/s (offered at the per-source limit) their 503s.
/// </summary>
internal sealed class RateLimiter(TimeProvider time)
{
    private const int CleanupThreshold = 10_000;
    private readonly object _gate = new();
    private readonly Dictionary<string, (double Tokens, long At)> _buckets = new(StringComparer.Ordinal);

    public bool TryAcquire(string key, int perSecond)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_buckets.Count > CleanupThreshold)
            {
                // Buckets idle for a second are full again: forgetting them changes nothing.
                foreach (var idle in _buckets.Where(b => time.GetElapsedTime(b.Value.At, now) > TimeSpan.FromSeconds(1)).Select(b => b.Key).ToList())
                {
                    _buckets.Remove(idle);
                }
            }

            var tokens = _buckets.TryGetValue(key, out var bucket)
                ? Math.Min(perSecond, bucket.Tokens + (time.GetElapsedTime(bucket.At, now).TotalSeconds * perSecond))
                : perSecond;
            var granted = tokens >= 1;
            _buckets[key] = (granted ? tokens - 1 : tokens, now);
            return granted;
        }
    }
}
