using System.Diagnostics;
using System.Globalization;
using Trunk.CallHistory.Bench;

// Usage: dotnet run -c Release --project bench/Trunk.CallHistory.Bench [-- <phase> <size> ... [--out <file>]]
// Phases: append <calls> (a burst), paced <seconds> (300 calls/s), warmpaced <seconds> (the same after a warm-up burst
// of 300 calls), detail <seconds of bulk load> (GET /calls/{id}).
// Without phases: append 1000 paced 5 detail 180. Each phase runs on a fresh host, schema and queue, so that a phase
// that leaves messages queued (it stops waiting after 45 s) never slows the next one.
var phases = new List<(string Name, int Size)>();
var output = Path.Combine(BenchRun.RepositoryRoot, "bench", "results", "callhistory.md");
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--out")
    {
        output = Path.GetFullPath(args[i + 1]);
    }
    else
    {
        phases.Add((args[i], int.Parse(args[i + 1], CultureInfo.InvariantCulture)));
    }
}

if (phases.Count == 0)
{
    phases = [("append", 1000), ("paced", 5), ("detail", 180)];
}

// The append phase's backlog starts with this many calls that warm the process up, timed apart.
const int WarmUpCalls = 300;
var report = new List<string>();
var total = Stopwatch.StartNew();
foreach (var (name, size) in phases)
{
    var backlog = name switch
    {
        "append" => BenchRun.Burst(WarmUpCalls).Concat(BenchRun.Burst(size)).ToList(),
        "warmpaced" => BenchRun.Burst(WarmUpCalls),
        _ => null,
    };
    await using var run = await BenchRun.StartAsync(backlog);
    report.Add(name switch
    {
        "append" => await run.AppendRateAsync(backlog!, WarmUpCalls * 18),
        "paced" => await run.PacedLoadAsync(callsPerSecond: 300, seconds: size),
        "warmpaced" => await run.PacedLoadAsync(callsPerSecond: 300, seconds: size, warmUp: backlog),
        "detail" => await run.CallDetailLatencyAsync(size, maxEvents: 1_000_000, requests: 2_000),
        _ => throw new ArgumentException($"Unknown phase '{name}': append, paced, warmpaced or detail."),
    });
}

await File.WriteAllTextAsync(output, BenchRun.Header(total.Elapsed) + string.Join("\n", report));
Console.WriteLine(await File.ReadAllTextAsync(output));
