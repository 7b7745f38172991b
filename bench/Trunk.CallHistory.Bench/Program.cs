using System.Diagnostics;
using System.Globalization;
using Trunk.CallHistory.Bench;

// Usage: dotnet run -c Release --project bench/Trunk.CallHistory.Bench [-- <seconds of paced load> <seconds of bulk load>]
var pacedSeconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var bulkSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 180;
var report = new List<string>();
var total = Stopwatch.StartNew();

await using (var run = await BenchRun.StartAsync())
{
    report.Add(await run.AppendRateAsync(calls: 500));
    report.Add(await run.PacedLoadAsync(callsPerSecond: 300, seconds: pacedSeconds));
    report.Add(await run.CallDetailLatencyAsync(bulkSeconds, maxEvents: 1_000_000, requests: 2_000));
}

var path = Path.Combine(BenchRun.RepositoryRoot, "bench", "results", "callhistory.md");
await File.WriteAllTextAsync(path, BenchRun.Header(total.Elapsed) + string.Join("\n", report));
Console.WriteLine(await File.ReadAllTextAsync(path));
