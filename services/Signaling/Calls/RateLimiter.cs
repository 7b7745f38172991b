namespace Trunk.Signaling.Calls;

/// <summary>
/// Calls-per-second limits as one-second windows per key (a source address, a trunk). A window that is full
/// refuses until the next second begins.
/// </summary>
internal sealed class RateLimiter(TimeProvider time)
{
    private const int CleanupThreshold = 10_000;
    private readonly object _gate = new();
    private readonly Dictionary<string, (long Second, int Count)> _windows = new(StringComparer.Ordinal);

    public bool TryAcquire(string key, int perSecond)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            if (_windows.Count > CleanupThreshold)
            {
                foreach (var stale in _windows.Where(w => w.Value.Second != second).Select(w => w.Key).ToList())
                {
                    _windows.Remove(stale);
                }
            }

            var count = _windows.TryGetValue(key, out var current) && current.Second == second ? current.Count : 0;
            if (count >= perSecond)
            {
                return false;
            }

            _windows[key] = (second, count + 1);
            return true;
        }
    }
}
