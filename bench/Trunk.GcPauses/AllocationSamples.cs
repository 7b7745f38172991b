using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

/// <summary>
/// The sampled allocations of a nettrace (GCAllocationTick: one event per ~100 KB allocated, with the type of the object
/// that crossed the mark and the stack), summed by the first frame of our code (Trunk.*) above the allocation, marked
/// "MassTransit" when MassTransit is on the stack, and by type; the samples with MassTransit on the stack also by the
/// library frame nearest the allocation (MassTransit, RabbitMQ.Client, OpenTelemetry or ours) and type, which tells what
/// a publish allocates. The shares are of the sampled bytes.
/// </summary>
internal static class AllocationSamples
{
    private const int Top = 30;

    private static readonly string[] LibraryPrefixes = ["MassTransit.", "RabbitMQ.", "OpenTelemetry.", "Trunk."];

    public static void Print(string path)
    {
        var byFrame = new Dictionary<string, double>(StringComparer.Ordinal);
        var byType = new Dictionary<string, double>(StringComparer.Ordinal);
        var byLibraryFrame = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        using (var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path)))
        {
            // TraceEvents enumerates only as IEnumerable<TraceEvent> (not as a plain IEnumerable, which OfType uses).
            foreach (var traceEvent in log.Events)
            {
                if (traceEvent is not GCAllocationTickTraceData sample)
                {
                    continue;
                }

                var ours = "(no Trunk frame)";
                string? library = null;
                var massTransit = false;
                for (var frame = sample.CallStack(); frame is not null; frame = frame.Caller)
                {
                    var method = frame.CodeAddress.FullMethodName ?? "";
                    massTransit |= method.StartsWith("MassTransit.", StringComparison.Ordinal);
                    library ??= LibraryPrefixes.Any(p => method.StartsWith(p, StringComparison.Ordinal)) ? method : null;
                    if (ours[0] == '(' && method.StartsWith("Trunk.", StringComparison.Ordinal))
                    {
                        ours = method;
                    }
                }

                var key = massTransit ? $"MassTransit under {ours}" : ours;
                byFrame[key] = byFrame.GetValueOrDefault(key) + sample.AllocationAmount64;
                byType[sample.TypeName] = byType.GetValueOrDefault(sample.TypeName) + sample.AllocationAmount64;
                if (massTransit)
                {
                    var where = $"{library} <- {sample.TypeName}";
                    byLibraryFrame[where] = byLibraryFrame.GetValueOrDefault(where) + sample.AllocationAmount64;
                }

                total += sample.AllocationAmount64;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocation samples: {total / 1048576:F0} MB sampled"));
        Console.WriteLine("  by the first frame of ours on the stack:");
        Write(byFrame, total);
        Console.WriteLine("  by type:");
        Write(byType, total);
        Console.WriteLine("  with MassTransit on the stack, by the library frame nearest the allocation <- type:");
        Write(byLibraryFrame, total);
    }

    private static void Write(Dictionary<string, double> shares, double total)
    {
        foreach (var (name, bytes) in shares.OrderByDescending(s => s.Value).Take(Top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {100 * bytes / total,6:F2} %  {name}"));
        }
    }
}
