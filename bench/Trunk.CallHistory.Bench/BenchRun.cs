using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trunk.CallHistory.Recording;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.CallHistory.Bench;

/// <summary>
/// CallHistory under load on the real servers, in-process (as the tests host it): events go through RabbitMQ into the
/// consumer, the writer (events and call summaries) and the async daemon; times of append and of projection come from
/// PostgreSQL's clock.
/// </summary>
public sealed class BenchRun : IAsyncDisposable
{
    /// <summary>
    /// Marten logs each lost race of two first events of a new call (the consumer retries it) as an error; at this
    /// rate the console would cost more than the work, so the bench hides Marten's log below Critical.
    /// </summary>
    private static readonly Dictionary<string, string?> QuietMarten = new() { ["Logging:LogLevel:Marten"] = "Critical" };

    private readonly string _schema = $"callhistory_bench_{Guid.NewGuid().ToString("N")[..8]}";
    private CallHistoryHost _host = null!;
    private long _storedEvents;

    public static string RepositoryRoot => RepositoryPaths.Root;

    /// <summary>Starts a host on a schema of its own; a <paramref name="backlog"/> is queued for it before it starts.</summary>
    public static async Task<BenchRun> StartAsync(IReadOnlyList<ICallEvent>? backlog = null)
    {
        var run = new BenchRun();
        run._host = CallHistoryHost.OnSchema(run._schema, runDaemon: true, QuietMarten);
        if (backlog is not null)
        {
            await BenchBacklog.PublishAsync(run._host.EventsQueue, backlog);
        }

        await run._host.InitializeAsync();
        return run;
    }

    /// <summary>Every event of <paramref name="calls"/> calls, interleaved as live calls produce them: every call's first event, then every call's second, and so on.</summary>
    public static IReadOnlyList<ICallEvent> Burst(int calls)
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var perCall = Enumerable.Range(0, calls).Select(i => new TransferredCall(start.AddSeconds(i), "+15550000001").Events).ToList();
        return Enumerable.Range(0, perCall[0].Count).SelectMany(k => perCall.Select(c => c[k])).ToList();
    }

    public static string Header(TimeSpan elapsed) => $"""
        # CallHistory: append rate, projection lag, call detail latency

        Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, `dotnet run -c Release --project bench/Trunk.CallHistory.Bench`
        ({elapsed.TotalMinutes:0.0} min) on the shared 2-core box ({Environment.ProcessorCount} logical cores, PostgreSQL and
        RabbitMQ on the same machine, other engineers' builds and tests running meanwhile: treat every figure as a
        lower bound). Source: `bench/Trunk.CallHistory.Bench`. The host runs in the bench's process as the tests run it:
        RabbitMQ consumer → the writer's append of each batch's events and `CallSummary` documents to Marten's tables (the
        SIP trace is folded from the stream when it is read) → HotCold async daemon for `HangupAnalysis`. One call is the 18 events of `TransferredCall` (tests/Trunk.CallHistory.Tests/Support),
        two of them SIP trace batches of four messages. Lag = PostgreSQL time the daemon's progression passed an event
        minus the event's append time (polled every 25 ms, so ±25 ms).

        Goals (issue 7): 5,000 events/s appended, projection lag p99 under 1 s at 300 calls/s worth of events,
        `GET /calls/<id>` p99 under 10 ms with a million events stored. Ratio = measured / goal (for times: goal / measured;
        above 1 meets the goal).


        """;

    /// <summary>
    /// Times the host draining <paramref name="backlog"/> (queued before it started): the first
    /// <paramref name="warmUpEvents"/> of it warm the process up (JIT, pools, caches) and are timed apart, so that the
    /// rest measures the sustained rate of a running service, not its start.
    /// </summary>
    public async Task<string> AppendRateAsync(IReadOnlyList<ICallEvent> backlog, int warmUpEvents)
    {
        var watch = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var warm = await WaitForStoredAsync(0, warmUpEvents, watch);
        var cpuWarm = Process.GetCurrentProcess().TotalProcessorTime;
        var stored = await WaitForStoredAsync(0, backlog.Count, watch);
        var storedAfter = watch.Elapsed;
        var cpuEnd = Process.GetCurrentProcess().TotalProcessorTime;
        var caughtUp = await WaitForDaemonAsync(watch);
        _storedEvents += stored;
        var appended = await AppendTimesAsync(0);
        var measured = appended.Skip(warmUpEvents).ToList();
        var rate = Rate(measured);
        var coldRate = Rate(appended.Take(warmUpEvents).ToList());
        var measuredCount = Math.Max(stored - warm, 1);
        return $"""
            ## Append rate with projections on

            {backlog.Count / 18} calls, {backlog.Count} events queued before the host started (published by a bus of the bench's own,
            so that the rate is the consumer's, not the publisher's); {Stored(stored, backlog.Count, storedAfter)} the host was ready.
            The first {warmUpEvents / 18} calls ({warmUpEvents} events) warm the process up; the sustained figures are those of the {measured.Count} events after them.

            | measure | value | goal | ratio |
            |---|---|---|---|
            | events appended per second, sustained (after the warm-up; first → last append, PostgreSQL clock) | {rate:0} | 5,000 | {rate / 5000:0.00} |
            | CPU of the bench process (consumer, writer, daemon) per 1,000 events stored, sustained | {(cpuEnd - cpuWarm).TotalMilliseconds * 1000 / measuredCount:0} ms | | |
            | events appended per second during the warm-up (from a cold start) | {coldRate:0} | | |
            | CPU of the bench process per 1,000 events during the warm-up | {(cpuWarm - cpuAtStart).TotalMilliseconds * 1000 / Math.Max(warm, 1):0} ms | | |
            | async daemon caught up, after the host was ready | {caughtUp} | | |

            """;
    }

    private static double Rate(List<(long Sequence, DateTimeOffset At)> appended) =>
        appended.Count > 1 ? appended.Count / (appended[^1].At - appended[0].At).TotalSeconds : 0;

    /// <summary>
    /// Publishes <paramref name="callsPerSecond"/> calls' events a second, evenly, and measures the daemon's lag per
    /// event; with a <paramref name="warmUp"/> backlog (queued before the host started), only once the host has stored
    /// and projected it, so that the lag is a running service's, not its first seconds' (JIT, pools, caches).
    /// </summary>
    public async Task<string> PacedLoadAsync(int callsPerSecond, int seconds, IReadOnlyList<ICallEvent>? warmUp = null)
    {
        var warmedUp = "";
        if (warmUp is not null)
        {
            var warming = Stopwatch.StartNew();
            var warm = await WaitForStoredAsync(0, warmUp.Count, warming);
            await WaitForDaemonAsync(warming);
            _storedEvents += warm;
            warmedUp = $" After a warm-up: {warm} events ({warmUp.Count / 18} calls) queued before the host started, stored and projected in {warming.Elapsed.TotalSeconds:0.0} s.";
        }

        var firstSequence = await ScalarAsync("select coalesce(max(seq_id), 0) from {0}.mt_events");
        var samples = new List<(DateTimeOffset At, long Sequence)>();
        using var stop = new CancellationTokenSource();
        var poller = PollProgressionAsync(samples, stop.Token);
        var start = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

        // A call starts every 1/rate s and emits its events 20 ms apart, so that ~100 calls are in flight at once.
        var schedule = Enumerable.Range(0, callsPerSecond * seconds)
            .SelectMany(i => new TransferredCall(start.AddSeconds(i), "+15550000002").Events
                .Select((e, k) => (Due: TimeSpan.FromSeconds((double)i / callsPerSecond) + TimeSpan.FromMilliseconds(20 * k), Event: e)))
            .OrderBy(s => s.Due)
            .ToList();
        var publishing = new List<Task>(schedule.Count);
        var published = new Dictionary<Guid, DateTimeOffset>(schedule.Count);
        var watch = Stopwatch.StartNew();
        var behind = TimeSpan.Zero;
        foreach (var (due, e) in schedule)
        {
            if (due > watch.Elapsed + TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(due - watch.Elapsed);
            }
            else if (watch.Elapsed - due > behind)
            {
                behind = watch.Elapsed - due;
            }

            var messageId = Guid.NewGuid();
            published[messageId] = TimeProvider.System.GetUtcNow();
            publishing.Add(_host.PublishAsync(e, messageId));
        }

        await Task.WhenAll(publishing);
        var events = schedule.Count;
        var stored = await WaitForStoredAsync(firstSequence, events, watch);
        var storedAfter = watch.Elapsed;
        var caughtUp = await WaitForDaemonAsync(watch);
        await Task.Delay(100);
        await stop.CancelAsync();
        await poller;
        _storedEvents += stored;

        var appended = await AppendTimesAsync(firstSequence);
        // Events the daemon had not passed when the bench stopped waiting have no lag to count: they are counted apart.
        var lagged = appended.Select(e => samples.FirstOrDefault(s => s.Sequence >= e.Sequence))
            .Zip(appended, (sample, e) => (Second: (int)(e.At - appended[0].At).TotalSeconds, Lag: sample.At == default ? double.NaN : (sample.At - e.At).TotalMilliseconds))
            .Where(e => !double.IsNaN(e.Lag))
            .ToList();
        var lags = lagged.Select(e => e.Lag).Order().ToArray();
        var bySecond = string.Join(", ", lagged.GroupBy(e => e.Second).OrderBy(g => g.Key).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {Percentile([.. g.Select(e => e.Lag).Order()], 0.99):0} ms ({g.Count()})")));
        var unprojected = appended.Count - lags.Length;

        // From the publish to the daemon's passing the event: the append's lag plus the wait before it (queue, writer).
        var endToEnd = (await MessageSequencesAsync(firstSequence))
            .Select(m => (Published: published.GetValueOrDefault(m.Id), Sample: samples.FirstOrDefault(s => s.Sequence >= m.Sequence)))
            .Where(m => m.Published != default && m.Sample.At != default)
            .Select(m => (m.Sample.At - m.Published).TotalMilliseconds)
            .Order().ToArray();
        var span = (appended[^1].At - appended[0].At).TotalSeconds;
        var p99 = Percentile(lags, 0.99);
        return $"""
            ## Projection lag at {callsPerSecond} calls/s worth of events

            {callsPerSecond} calls/s for {seconds} s, each call's events 20 ms apart: {events} events ({events / (double)seconds:0} events/s offered); the publisher
            fell at most {behind.TotalMilliseconds:0} ms behind its schedule; {Stored(stored, events, storedAfter)} the first publish; async daemon caught up after {caughtUp}.{warmedUp}

            | measure | value | goal | ratio |
            |---|---|---|---|
            | events appended per second (first → last append) | {appended.Count / span:0} | {events / (double)seconds:0} offered | {appended.Count / span / (events / (double)seconds):0.00} |
            | HangupAnalysis lag p50 | {Percentile(lags, 0.5):0} ms | | |
            | HangupAnalysis lag p99 | {p99:0} ms | < 1,000 ms | {1000 / Math.Max(p99, 1):0.00} |
            | HangupAnalysis lag max | {lags[^1]:0} ms | | |
            | from the publish to HangupAnalysis: p50 / p99 ({endToEnd.Length} events) | {Percentile(endToEnd, 0.5):0} / {Percentile(endToEnd, 0.99):0} ms | | |
            | events stored but not yet projected when the bench stopped (not in the lags) | {unprojected} | | |

            Lag p99 by second of appending (events appended in that second): {bySecond}.

            """;
    }

    /// <summary>
    /// Fills the store through the service's writer (summaries included, daemon off) for <paramref name="seconds"/> or up
    /// to <paramref name="maxEvents"/>, then times <c>GET /calls/{id}</c> of random calls one after another.
    /// </summary>
    public async Task<string> CallDetailLatencyAsync(int seconds, int maxEvents, int requests)
    {
        await _host.DisposeAsync();
        _host = CallHistoryHost.OnSchema(_schema, runDaemon: false, QuietMarten);
        await _host.InitializeAsync();

        var events = _host.Services.GetRequiredService<CallEventWriter>();
        var ids = new List<Guid>();
        var watch = Stopwatch.StartNew();
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var loaded = 0L;
        var writers = Enumerable.Range(0, 2).Select(async writer =>
        {
            for (var batch = 0; watch.Elapsed.TotalSeconds < seconds && Interlocked.Read(ref loaded) + _storedEvents < maxEvents; batch++)
            {
                var calls = Enumerable.Range(0, 100).Select(i => new TransferredCall(start.AddSeconds(writer * 10_000_000 + batch * 100 + i), "+15550000003")).ToList();
                await Task.WhenAll(calls.SelectMany(c => c.Events).Select(e => events.AppendAsync(new PendingCallEvent(Guid.NewGuid(), e, null, null, null))));
                Interlocked.Add(ref loaded, calls.Sum(c => c.Events.Count));
                lock (ids)
                {
                    ids.AddRange(calls.Select(c => c.CallId));
                }
            }
        });
        await Task.WhenAll(writers);
        var loadTime = watch.Elapsed;
        var storeSize = await ScalarAsync("select count(*) from {0}.mt_events");
        var summaries = await ScalarAsync("select count(*) from {0}.mt_doc_callsummary");

        var random = new Random(7);
        var times = new List<double>(requests);
        for (var i = 0; i < requests + 200; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var request = Stopwatch.StartNew();
            using var response = await _host.Http.GetAsync(new Uri($"/calls/{id}", UriKind.Relative));
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            if (i >= 200)
            {
                times.Add(request.Elapsed.TotalMilliseconds);
            }
        }

        var sorted = times.Order().ToArray();
        var p99 = Percentile(sorted, 0.99);
        var note = storeSize < 1_000_000
            ? $"**Not the issue's million:** the store was filled for {seconds} s (the brief's ~3 minutes on this shared machine) and held {storeSize:N0} events then."
            : "The store held the issue's million events.";
        return $"""
            ## `GET /calls/<id>` with a large store

            Loaded {loaded:N0} events ({ids.Count:N0} calls, 2 loaders of 100 calls at a time, summaries on) in
            {loadTime.TotalSeconds:0} s = {loaded / loadTime.TotalSeconds:0} events/s through the service's writer. {note}
            {summaries:N0} call summaries. Then {requests} sequential requests for random calls over HTTP on loopback (200 warm-up requests first).

            | measure | value | goal | ratio |
            |---|---|---|---|
            | p50 | {Percentile(sorted, 0.5):0.00} ms | | |
            | p99 | {p99:0.00} ms | < 10 ms | {10 / p99:0.00} |
            | max | {sorted[^1]:0.00} ms | | |

            """;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await CallHistoryHost.DropSchemaAsync(_schema);
    }

    /// <summary>
    /// How long the bench waits for the store (and then the daemon) before it reports what it got, plus a millisecond
    /// per event waited for (so that a backlog of a minute's events is waited for): a run stays bounded.
    /// </summary>
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(45);

    private static string Stored(long stored, int published, TimeSpan after) => stored >= published
        ? $"all stored {after.TotalSeconds:0.0} s after"
        : $"**only {stored} of {published} stored** when the bench stopped waiting, {after.TotalSeconds:0.0} s after";

    /// <summary>
    /// Waits until <paramref name="count"/> events after <paramref name="after"/> are stored, at most
    /// <see cref="StoreTimeout"/> more. It polls the highest sequence number (one index probe) and counts the rows only
    /// once that number is reached (a sequence may skip numbers): a count every 100 ms scanned up to the whole table and
    /// was a large share of PostgreSQL's CPU in the 60-s runs (bench/results/callhistory.md).
    /// </summary>
    private async Task<long> WaitForStoredAsync(long after, int count, Stopwatch watch)
    {
        var deadline = watch.Elapsed + StoreTimeout + TimeSpan.FromMilliseconds(count);
        long stored = 0;
        while (watch.Elapsed < deadline)
        {
            if (await ScalarAsync("select coalesce(max(seq_id), 0) from {0}.mt_events") - after >= count
                && (stored = await ScalarAsync("select count(*) from {0}.mt_events where seq_id > " + after)) >= count)
            {
                return stored;
            }

            await Task.Delay(100);
        }

        return await ScalarAsync("select count(*) from {0}.mt_events where seq_id > " + after);
    }

    private async Task<string> WaitForDaemonAsync(Stopwatch watch)
    {
        var deadline = watch.Elapsed + StoreTimeout;
        var last = await ScalarAsync("select coalesce(max(seq_id), 0) from {0}.mt_events");
        while (await ScalarAsync("select coalesce(max(last_seq_id), 0) from {0}.mt_event_progression where name like 'HangupAnalysis%'") < last)
        {
            if (watch.Elapsed > deadline)
            {
                return "**not caught up** when the bench stopped waiting";
            }

            await Task.Delay(100);
        }

        return $"{watch.Elapsed.TotalSeconds:0.00} s";
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private async Task PollProgressionAsync(List<(DateTimeOffset At, long Sequence)> samples, CancellationToken token)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync(token);
        await using var command = new NpgsqlCommand(
            $"select now(), coalesce(max(last_seq_id), 0) from {_schema}.mt_event_progression where name like 'HangupAnalysis%'", connection);
        while (!token.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                samples.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)));
            }

            try
            {
                await Task.Delay(25, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<List<(long Sequence, DateTimeOffset At)>> AppendTimesAsync(long after)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select seq_id, timestamp from {_schema}.mt_events where seq_id > {after} order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return rows;
    }

    /// <summary>Each stored event's id (its message's MessageId) and sequence number, after <paramref name="after"/>.</summary>
    private async Task<List<(Guid Id, long Sequence)>> MessageSequencesAsync(long after)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select id, seq_id from {_schema}.mt_events where seq_id > {after}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetInt64(1)));
        }

        return rows;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, sql, _schema), connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
