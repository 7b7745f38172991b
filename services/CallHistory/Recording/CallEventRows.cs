using Marten;
using Marten.Events;
using Trunk.CallHistory.CallSummaries;
using Trunk.Contracts;

namespace Trunk.CallHistory.Recording;

/// <summary>
/// The rows of one <see cref="CallEventBatch"/>, column by column: each event as Marten stores it (its type names,
/// its body and headers in Marten's own serializer, version after its stream's last), each stream's new version, and
/// each call's summary folded forward by <see cref="CallSummaryProjection.Fold"/> from the stored one.
/// </summary>
internal sealed class CallEventRows(
    IDocumentStore store, IEventStoreOperations events, IReadOnlyDictionary<Guid, long> versions, IReadOnlyDictionary<Guid, CallSummary> stored)
{
    private static readonly HashSet<Type> Folded = [.. CallSummaryProjection.FoldedTypes];

    private readonly ISerializer _serializer = store.Options.Serializer();
    private readonly List<Guid> _eventIds = [];
    private readonly List<Guid> _streamIds = [];
    private readonly List<long> _eventVersions = [];
    private readonly List<string> _bodies = [];
    private readonly List<string> _eventTypes = [];
    private readonly List<string> _dotNetTypes = [];
    private readonly List<string?> _causationIds = [];
    private readonly List<string?> _correlationIds = [];
    private readonly List<string> _headers = [];

    /// <summary>The version of each stream the batch appends to, after its last event.</summary>
    public Dictionary<Guid, long> Streams { get; } = [];

    /// <summary>The summaries the batch changes, folded over its events.</summary>
    public Dictionary<Guid, CallSummary> Summaries { get; } = [];

    public Guid[] EventIds => [.. _eventIds];

    public Guid[] StreamIds => [.. _streamIds];

    public long[] EventVersions => [.. _eventVersions];

    public string[] Bodies => [.. _bodies];

    public string[] EventTypes => [.. _eventTypes];

    public string[] DotNetTypes => [.. _dotNetTypes];

    public string?[] CausationIds => [.. _causationIds];

    public string?[] CorrelationIds => [.. _correlationIds];

    public string[] Headers => [.. _headers];

    /// <summary>Whether the event changes its call's summary (the ones the projections load).</summary>
    public static bool IsFolded(ICallEvent e) => Folded.Contains(e.GetType());

    /// <summary>The event after every one added before it to its call's stream.</summary>
    public void Add(PendingCallEvent pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var callId = pending.CallId;
        var version = (Streams.TryGetValue(callId, out var last) ? last : versions.GetValueOrDefault(callId)) + 1;
        Streams[callId] = version;

        var mapping = events.BuildEvent(pending.Event);
        _eventIds.Add(pending.MessageId);
        _streamIds.Add(callId);
        _eventVersions.Add(version);
        _bodies.Add(_serializer.ToJson(pending.Event));
        _eventTypes.Add(mapping.EventTypeName);
        _dotNetTypes.Add(mapping.DotNetTypeName);
        _causationIds.Add(pending.CausationId);
        _correlationIds.Add(pending.CorrelationId);
        _headers.Add(_serializer.ToJson(HeadersOf(pending)));

        if (IsFolded(pending.Event))
        {
            var summary = Summaries.TryGetValue(callId, out var folded) ? folded
                : stored.TryGetValue(callId, out var loaded) ? loaded
                : new CallSummary { Id = callId };
            Summaries[callId] = CallSummaryProjection.Fold(summary, pending.Event);
        }
    }

    public string[] SummaryBodies(IEnumerable<CallSummary> summaries) => [.. summaries.Select(s => _serializer.ToJson(s))];

    /// <summary>The event's own message's metadata: a batch mixes messages of many publishers and traces.</summary>
    private static Dictionary<string, object> HeadersOf(PendingCallEvent pending)
    {
        var headers = new Dictionary<string, object> { [CallEventBatch.MessageIdHeader] = pending.MessageId.ToString() };
        if (pending.TraceParent is { } traceParent)
        {
            headers[CallEventBatch.TraceParentHeader] = traceParent;
        }

        return headers;
    }
}
