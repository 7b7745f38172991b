using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// The GC pauses of one .NET process by generation, from a nettrace recorded with the runtime's GC keyword
// (bench/sipp/b2bua.sh GC_TRACE=dir): each pause from the start of the execution engine's suspension to the end of its
// restart, the bytes each collection promoted out of the generation it condemned, and the share of the traced time
// spent paused, and paused beyond 5 ms into a pause (what an INVITE arriving then waits past the 5 ms goal).
// Each pause is also split into its mark phase (to the last GCMarkWithType event) and what follows it (plan,
// relocate, compact), with the bytes marked through references from the older generations (the card table).
// --allocations also lists the sampled allocations (GCAllocationTick, one per ~100 KB, with its stack) by the first
// frame of our code on the stack and by type, to find what a call allocates where, and those under MassTransit by the
// library frame nearest the allocation and type, to find what a publish allocates.
// --pauses also writes each pause to FILE.nettrace.pauses, one line each: its start in Unix milliseconds (the wall
// clock a packet capture uses), its length in milliseconds and its generation, for invite_pauses.py.
// Usage: dotnet run --project bench/Trunk.GcPauses -c Release -- [--allocations] [--pauses] FILE.nettrace...
var allocations = args.Contains("--allocations");
var writePauses = args.Contains("--pauses");
var paths = args.Where(a => a is not "--allocations" and not "--pauses").ToArray();
if (paths.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: Trunk.GcPauses [--allocations] [--pauses] FILE.nettrace...").ConfigureAwait(false);
    return 2;
}

foreach (var path in paths)
{
    var pauses = new Dictionary<string, List<double>>();
    var promoted = new Dictionary<string, List<double>>();
    var marking = new Dictionary<string, List<double>>();
    var afterMark = new Dictionary<string, List<double>>();
    var throughCards = new Dictionary<string, List<double>>();
    double suspendedAt = -1, first = -1, last = 0, startedAt = -1, markedAt = -1, stoppedAt = -1, cards = 0;
    var timeline = new List<string>();
    string? collection = null;
    using (var source = new EventPipeEventSource(path))
    {
        var clr = new ClrTraceEventParser(source);
        // Every relative time is from the session's start: the wall clock of a pause is that start plus its time.
        var sessionStartUnix = (source.SessionStartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
        clr.GCSuspendEEStart += e => suspendedAt = suspendedAt < 0 ? e.TimeStampRelativeMSec : suspendedAt;
        clr.GCStart += e =>
        {
            collection = e.Type == GCType.BackgroundGC ? "gen2 background" : $"gen{e.Depth.ToString(CultureInfo.InvariantCulture)}";
            startedAt = markedAt = e.TimeStampRelativeMSec;
            stoppedAt = -1;
            cards = 0;
        };
        clr.GCMarkWithType += e =>
        {
            markedAt = e.TimeStampRelativeMSec;
            cards += e.Type == (int)MarkRootType.MarkOlder ? e.Promoted : 0;
        };
        clr.GCStop += e => stoppedAt = e.TimeStampRelativeMSec;
        clr.GCHeapStats += e =>
        {
            // A gen0 collection's survivors go into gen1; a gen1 collection's into gen2.
            var bytes = collection switch { "gen0" => e.TotalPromotedSize0, "gen1" => e.TotalPromotedSize1, _ => -1 };
            if (collection is not null && bytes >= 0)
            {
                Add(promoted, collection, bytes / 1048576.0);
            }
        };
        clr.GCRestartEEStop += e =>
        {
            if (suspendedAt >= 0 && collection is not null)
            {
                Add(pauses, collection, e.TimeStampRelativeMSec - suspendedAt);
                timeline.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{sessionStartUnix + suspendedAt:F3} {e.TimeStampRelativeMSec - suspendedAt:F3} {collection.Replace(' ', '-')}"));
                if (stoppedAt >= 0 && collection != "gen2 background")
                {
                    Add(marking, collection, markedAt - startedAt);
                    Add(afterMark, collection, stoppedAt - markedAt);
                    Add(throughCards, collection, cards / 1048576.0);
                }

                first = first < 0 ? suspendedAt : first;
                last = e.TimeStampRelativeMSec;
            }

            suspendedAt = -1;
            collection = null;
        };
        source.Process();
    }

    if (writePauses)
    {
        await File.WriteAllLinesAsync(path + ".pauses", timeline).ConfigureAwait(false);
    }

    var traced = last - first;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {traced / 1000:F1} s from the first pause to the last"));
    double total = 0, beyond = 0;
    foreach (var (name, list) in pauses.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        list.Sort();
        total += list.Sum();
        beyond += list.Where(p => p > 5).Sum(p => p - 5);
        var moved = promoted.TryGetValue(name, out var bytes) ? string.Create(CultureInfo.InvariantCulture, $", promoted p50 {Median(bytes):F2} MB") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {list.Count} pauses, p50 {Quantile(list, 0.5):F1} / p90 {Quantile(list, 0.9):F1} / max {list[^1]:F1} ms, sum {list.Sum():F0} ms{moved}"));
        if (marking.TryGetValue(name, out var mark))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    p50: mark {Median(mark):F1} ms, plan/relocate/compact {Median(afterMark[name]):F1} ms, marked through older generations' references {Median(throughCards[name]):F2} MB"));
        }
    }

    if (traced > 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  paused {100 * total / traced:F1} % of the time, beyond 5 ms into a pause {100 * beyond / traced:F2} %"));
    }

    if (allocations)
    {
        AllocationSamples.Print(path);
    }
}

return 0;

static void Add(Dictionary<string, List<double>> lists, string key, double value)
{
    if (!lists.TryGetValue(key, out var list))
    {
        lists[key] = list = [];
    }

    list.Add(value);
}

static double Quantile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

static double Median(List<double> values) => Quantile([.. values.Order()], 0.5);
