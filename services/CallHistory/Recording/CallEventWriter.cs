using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Options;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// Group commit of consumed call events: each call belongs to one of <see cref="CallHistorySettings.Writers"/> lanes,
/// and a lane appends everything that queued up while its previous transaction ran (up to
/// <see cref="CallHistorySettings.WriterBatchSize"/> events) in one transaction of a fixed number of statements
/// (<see cref="CallEventBatch"/>): the locks, the lookups, then every stream, event and summary of the batch. A lane
/// keeps the order its events were handed over in, and never writes one call in two transactions at once. A lane that
/// finds only a few events waiting gives more <see cref="CallHistorySettings.WriterLinger"/> to arrive first.
/// A failed batch is split in halves and each half retried, down to the single event, so that one bad event fails
/// alone (its message is retried by the bus, then moved to the error queue) and the others are stored.
/// </summary>
public sealed partial class CallEventWriter : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<CallEventWriter> _logger;
    private readonly int _batchSize;
    private readonly TimeSpan _linger;
    private readonly Channel<PendingCallEvent>[] _lanes;
    private readonly Task[] _running;

    public CallEventWriter(IDocumentStore store, TimeProvider time, IOptions<CallHistorySettings> settings, ILogger<CallEventWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _time = time;
        _logger = logger;
        _batchSize = settings.Value.WriterBatchSize;
        _linger = settings.Value.WriterLinger;
        _lanes = Enumerable.Range(0, settings.Value.Writers)
            .Select(_ => Channel.CreateUnbounded<PendingCallEvent>(new UnboundedChannelOptions { SingleReader = true }))
            .ToArray();

        // The lanes outlive the message that first resolved the writer: its trace context must not become theirs.
        using (ExecutionContext.SuppressFlow())
        {
            _running = _lanes.Select(lane => Task.Run(() => RunAsync(lane.Reader))).ToArray();
        }
    }

    /// <summary>Queues the event on its call's lane; the task ends when it is committed (true) or found already stored (false).</summary>
    public Task<bool> AppendAsync(PendingCallEvent pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var lane = _lanes[(uint)pending.CallId.GetHashCode() % (uint)_lanes.Length];
        if (!lane.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The call event writer has stopped.");
        }

        return pending.Completion;
    }

    /// <summary>Stops taking events and commits the ones already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_running).ConfigureAwait(false);
    }

    private async Task RunAsync(ChannelReader<PendingCallEvent> reader)
    {
        var batch = new List<PendingCallEvent>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Take(reader, batch);
            if (batch.Count < _batchSize / 4 && _linger > TimeSpan.Zero)
            {
                await Task.Delay(_linger, _time).ConfigureAwait(false);
                Take(reader, batch);
            }

            await CommitOrSplitAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private void Take(ChannelReader<PendingCallEvent> reader, List<PendingCallEvent> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    private async Task CommitOrSplitAsync(IReadOnlyList<PendingCallEvent> batch)
    {
        try
        {
            var started = _time.GetTimestamp();
            var stored = await CallEventBatch.CommitAsync(_store, batch).ConfigureAwait(false);
            LogCommitted(batch.Count, batch.Select(p => p.CallId).Distinct().Count(), _time.GetElapsedTime(started).TotalMilliseconds);
            foreach (var pending in batch)
            {
                pending.Stored(stored.Contains(pending));
            }
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            LogSplit(batch.Count, exception.Message);
            var half = batch.Count / 2;
            await CommitOrSplitAsync(batch.Take(half).ToList()).ConfigureAwait(false);
            await CommitOrSplitAsync(batch.Skip(half).ToList()).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var pending = batch[0];
            LogFailed(exception, pending.Event.GetType().Name, pending.CallId, pending.MessageId);
            pending.Failed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Count} call events of {Calls} calls in {Milliseconds} ms")]
    private partial void LogCommitted(int count, int calls, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} call events failed ({Error}); committing its halves apart")]
    private partial void LogSplit(int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {EventType} of call {CallId} (message {MessageId}); the bus retries it, then moves it to the error queue")]
    private partial void LogFailed(Exception exception, string eventType, Guid callId, Guid messageId);
}
