namespace Trunk.Testing;

/// <summary>A host's <c>/metrics</c> as Prometheus reads it: one sample per line, <c>name{labels} value</c>.</summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string text)
    {
        Text = text;
        Samples = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .ToList();
    }

    public string Text { get; }

    /// <summary>Every sample line, comments left out.</summary>
    public IReadOnlyList<string> Samples { get; }

    /// <summary>The series names present (the part before the labels).</summary>
    public IReadOnlySet<string> Names => Samples.Select(NameOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sample lines of one series name whose labels contain every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public IEnumerable<string> Find(string name, params string[] labels) =>
        Samples.Where(s => NameOf(s) == name && labels.All(label => s.Contains(label, StringComparison.Ordinal)));

    /// <summary>The sum of the values of <see cref="Find"/>'s samples (0 when there are none).</summary>
    public double Sum(string name, params string[] labels) =>
        Find(name, labels).Sum(s => double.Parse(s[(s.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Scrapes until <paramref name="until"/> accepts the text (the exporter caches a scrape briefly) or the time is up.</summary>
    public static async Task<PrometheusScrape> WaitAsync(HttpClient http, Func<PrometheusScrape, bool> until, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(until);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var scrape = new PrometheusScrape(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false));
            if (until(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    private static string NameOf(string sample)
    {
        var end = sample.IndexOfAny(['{', ' ']);
        return end < 0 ? sample : sample[..end];
    }
}
