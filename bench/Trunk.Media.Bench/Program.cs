using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Trunk.Media.Bench;

// Relays N concurrent calls of 20 ms PCMU through our Media host and through rtpengine, one after the other on the
// same generated streams, and writes bench/results/media-relay.md. Arguments:
//   --calls 250,750,1250   --duration 60 (seconds a run)   --media-dll <Trunk.Media.dll>   --out <file>
var options = Arguments.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var started = DateTimeOffset.UtcNow;
var rabbit = new RabbitOptions(
    Environment.GetEnvironmentVariable("TRUNK_BENCH_RABBIT_HOST") ?? "127.0.0.1",
    Environment.GetEnvironmentVariable("TRUNK_BENCH_RABBIT_VHOST") ?? "trunk", "trunk", "trunk");

await using var ours = await OurRelay.StartAsync(options.MediaDll, rabbit, 40000, 49999);
await using var reference = await RtpEngineRelay.StartAsync(22232, 50000, 59999);
var rows = new List<Row>();
foreach (var calls in options.Calls)
{
    foreach (var relay in new IRelay[] { ours, reference })
    {
        rows.Add(await RunAsync(relay, calls, options.Duration));
        Console.WriteLine(rows[^1].ToMarkdown());
    }
}

var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
File.WriteAllText(options.Output, Report.Write(rows, options, started, loadBefore, loadAfter));
Console.WriteLine($"Wrote {options.Output}");
return 0;

static async Task<Row> RunAsync(IRelay relay, int calls, TimeSpan duration)
{
    using var generator = new StreamGenerator();
    var legs = new (IPEndPoint CallerSendsTo, IPEndPoint EndpointSendsTo)[calls];
    var control = new List<double>();

    // One set-up at a time, so that the control figures are round trips, not queueing behind each other.
    using (var parallel = new SemaphoreSlim(1))
    {
        await Task.WhenAll(Enumerable.Range(0, calls).Select(async call =>
        {
            await parallel.WaitAsync();
            try
            {
                var (caller, endpoint, ms) = await relay.SetUpAsync(call, generator.CallerAddress, generator.EndpointAddress);
                legs[call] = (caller, endpoint);
                lock (control)
                {
                    control.AddRange(ms);
                }
            }
            finally
            {
                parallel.Release();
            }
        }));
    }

    var cpuBefore = ProcessCpu.Seconds(relay.ProcessId);
    var result = generator.Run(legs, duration);
    var cpu = ProcessCpu.Seconds(relay.ProcessId) - cpuBefore;
    foreach (var call in Enumerable.Range(0, calls))
    {
        await relay.TearDownAsync(call);
    }

    await Task.Delay(1000);
    control.Sort();
    return new Row(relay.Name, calls, result, cpu, control[control.Count / 2], control[(int)Math.Min(control.Count - 1, Math.Ceiling(control.Count * 0.99) - 1)]);
}

internal sealed record Options(IReadOnlyList<int> Calls, TimeSpan Duration, string MediaDll, string Output);

internal static class Arguments
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Options(
            [.. values.GetValueOrDefault("calls", "250,750,1250").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("duration", "60"), CultureInfo.InvariantCulture)),
            values.GetValueOrDefault("media-dll", "services/Media/bin/Release/net10.0/Trunk.Media.dll"),
            values.GetValueOrDefault("out", "bench/results/media-relay.md"));
    }
}

/// <summary>User plus system CPU time of a process, from /proc/&lt;pid&gt;/stat (clock ticks of 1/100 s).</summary>
internal static class ProcessCpu
{
    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}

internal sealed record Row(string Relay, int Calls, StreamResult Result, double CpuSeconds, double ControlP50Ms, double ControlP99Ms)
{
    public double PacketsPerCpuSecond => CpuSeconds <= 0 ? double.NaN : Result.Received / CpuSeconds;

    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Relay} | {Calls} | {Result.Sent / Result.Elapsed.TotalSeconds:N0} | {Result.Sent:N0} | {Result.Received:N0} | {Result.LossPercent:F4} | {Result.GeneratorDrops:N0} | {Result.LatencyP50Ms:F2} | {Result.LatencyP99Ms:F2} | {CpuSeconds:F1} ({CpuSeconds / Result.Elapsed.TotalSeconds * 100:F0}%) | {PacketsPerCpuSecond:N0} | {ControlP50Ms:F2} / {ControlP99Ms:F2} |");
}

internal static class Report
{
    public static string Write(IReadOnlyList<Row> rows, Options options, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("# Media relay: Trunk.Media vs rtpengine");
        text.AppendLine();
        text.AppendLine(invariant, $"Run {started:yyyy-MM-dd HH:mm} UTC by `bench/media-relay.sh`, {options.Duration.TotalSeconds:F0} s a run, {Environment.ProcessorCount} cores shared by the generator, both relays and other engineers' work.");
        text.AppendLine(invariant, $"Load average (1/5/15 min, running/total, last pid) before: `{loadBefore}`; after: `{loadAfter}`.");
        text.AppendLine();
        text.AppendLine("Each call: caller and endpoint each send 20 ms PCMU (172-byte datagrams, 50 packets/s) to their relay port, so the relay");
        text.AppendLine("forwards 100 packets/s a call. Generator: one socket for all callers, one for all endpoints, sendmmsg/recvmmsg 64 at a time,");
        text.AppendLine("paced every millisecond; latency is one-way (send time in the payload to receipt), loss is sent minus received.");
        text.AppendLine("Trunk.Media is the real host process set up over RabbitMQ (AllocateMedia caller offer, endpoint offer, endpoint answer);");
        text.AppendLine("rtpengine 10.5 runs with `--table=-1` (userspace forwarding), set up over ng (offer, answer). CPU is the relay process's");
        text.AppendLine("user+system time over the run (from /proc), \"control\" the set-up round trips (p50 / p99, ms). \"packets/s sent\" is what the");
        text.AppendLine("generator achieved (nominal: 100 × calls); below nominal, the shared cores starved the generator and the run lasted longer.");
        text.AppendLine();
        text.AppendLine("| relay | calls | packets/s sent | sent | received | loss % | drops at the generator's sockets | p50 ms | p99 ms | relay CPU s | relayed packets / CPU-s | control ms p50 / p99 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(row.ToMarkdown());
        }

        text.AppendLine();
        text.AppendLine("| calls | packets/CPU-s ours ÷ rtpengine | p99 ours / rtpengine (ms) |");
        text.AppendLine("|---|---|---|");
        foreach (var group in rows.GroupBy(r => r.Calls))
        {
            var ours = group.First(r => r.Relay == "Trunk.Media");
            var theirs = group.First(r => r.Relay == "rtpengine");
            text.AppendLine(invariant, $"| {group.Key} | {ours.PacketsPerCpuSecond / theirs.PacketsPerCpuSecond:F2} | {ours.Result.LatencyP99Ms:F2} / {theirs.Result.LatencyP99Ms:F2} |");
        }

        text.AppendLine();
        foreach (var relay in rows.Select(r => r.Relay).Distinct())
        {
            var best = rows.Where(r => r.Relay == relay && r.Result.LossPercent < 0.01).Select(r => r.Calls).DefaultIfEmpty(0).Max();
            text.AppendLine(invariant, $"- {relay}: largest N measured with loss under 0.01%: {best} calls.");
        }

        return text.ToString();
    }
}
