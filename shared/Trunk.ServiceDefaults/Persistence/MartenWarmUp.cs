using System.Diagnostics;
using System.Reflection;
using Marten;
using Microsoft.Extensions.Logging;

namespace Trunk.ServiceDefaults.Persistence;

/// <summary>
/// Marten writes and compiles the code that stores each document type the first time the type is used: seconds on a
/// busy machine, which the first call would pay (a first REFER after a start missed Signaling's 2 s decision
/// deadline). The host pays it at start instead: one query per document type, then <see cref="Done"/>, which
/// readiness waits for. A query that fails (no schema yet, no database) is logged and skipped: the type compiles on
/// first use as before.
/// </summary>
public sealed partial class MartenWarmUp(IDocumentStore store, ILogger<MartenWarmUp> logger)
{
    private static readonly MethodInfo QueryOne = typeof(MartenWarmUp).GetMethod(nameof(QueryOneAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private volatile bool _done;

    public bool Done => _done;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var types = store.Options.AllKnownDocumentTypes().Select(m => m.DocumentType).ToList();
        await using (var session = store.QuerySession())
        {
            foreach (var type in types)
            {
                try
                {
                    await ((Task)QueryOne.MakeGenericMethod(type).Invoke(null, [session, cancellationToken])!).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSkipped(type.Name, e.Message);
                }
            }
        }

        _done = true;
        LogWarm(types.Count, watch.ElapsedMilliseconds);
    }

    private static async Task QueryOneAsync<T>(IQuerySession session, CancellationToken cancellationToken)
        where T : notnull =>
        await session.Query<T>().Take(1).ToListAsync(cancellationToken).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten code for {Count} document types compiled in {Milliseconds} ms")]
    private partial void LogWarm(int count, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marten warm-up of {Type} skipped: {Error}")]
    private partial void LogSkipped(string type, string error);
}
