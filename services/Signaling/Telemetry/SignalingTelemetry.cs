using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Trunk.Contracts;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Signaling.Calls;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Telemetry;

/// <summary>
/// Signaling's spans and metrics. A call's trace starts at its inbound INVITE (<c>sip INVITE</c>, a root span) and
/// every later SIP request of the call, in or out, and every event published for it, joins that trace through
/// <see cref="Call.TraceContext"/>, so the W3C context rides each bus message of the call.
/// </summary>
internal sealed class SignalingTelemetry
{
    public const string CallIdAttribute = "trunk.call_id";
    public const string SipCallIdAttribute = "sip.call_id";
    public const string MethodAttribute = "sip.method";
    public const string StatusCodeAttribute = "sip.status_code";
    public const string TrunkAttribute = "trunk.trunk_id";
    public const string AccountAttribute = "trunk.account_id";

    /// <summary>The publish span's name of each message type, made once.</summary>
    private static readonly ConcurrentDictionary<Type, string> PublishSpanNames = new();

    private readonly ActivitySource _source;
    private readonly CallRegistry _calls;
    private readonly Counter<long> _callsStarted;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _referOutcomes;
    private readonly Histogram<double> _referAnswerTime;
    private readonly Histogram<double> _postDialDelay;

    public SignalingTelemetry(ServiceIdentity identity, CallRegistry calls)
    {
        _source = identity.ActivitySource;
        _calls = calls;
        var meter = identity.Meter;
        _callsStarted = meter.CreateCounter(TrunkMetrics.Calls);
        _responses = meter.CreateCounter(TrunkMetrics.SipResponses);
        _referOutcomes = meter.CreateCounter(TrunkMetrics.ReferOutcomes);
        _referAnswerTime = meter.CreateHistogram(TrunkMetrics.ReferAnswerTime);
        _postDialDelay = meter.CreateHistogram(TrunkMetrics.PostDialDelay);
        meter.CreateObservableGauge(TrunkMetrics.ActiveCalls, () => [new Measurement<long>(_calls.Count)]);
        meter.CreateObservableGauge(TrunkMetrics.ActiveLegs, ObserveLegs);
    }

    /// <summary>
    /// A server span for a request that reached the router: a new INVITE starts a trace of its own; a request inside a
    /// call continues the call's. Out-of-dialog OPTIONS (keep-alive pings) get none: they would be a trace each.
    /// </summary>
    public Activity? StartRequest(IncomingRequest request, Call? call)
    {
        var sipRequest = request.Request;
        if (call is null && sipRequest.Method == SipMethod.Options)
        {
            return null;
        }

        if (call is null)
        {
            // A new call is a new trace, whatever the transport's task carried.
            Activity.Current = null;
        }

        var activity = _source.StartActivity(ActivityKind.Server, call?.TraceContext ?? default, name: "sip " + KnownOrOther(sipRequest.Method));
        activity?.SetTag(MethodAttribute, sipRequest.Method);
        activity?.SetTag(SipCallIdAttribute, sipRequest.CallId);
        if (call is not null)
        {
            Describe(activity, call);
        }

        return activity;
    }

    /// <summary>A client span for a request we send; a NOTIFY is named by the sipfrag status it reports (<c>sip NOTIFY 200</c>).</summary>
    public SipClientTelemetry StartClient(Call? call, LegSide leg, SipRequest request)
    {
        var name = "sip " + KnownOrOther(request.Method);
        if (request.Method == SipMethod.Notify && SipfragStatus(request) is { } status)
        {
            name += " " + status.ToString(CultureInfo.InvariantCulture);
        }

        var parent = Activity.Current is null && call is not null ? call.TraceContext : default;
        var activity = _source.StartActivity(ActivityKind.Client, parent, name: name);
        activity?.SetTag(MethodAttribute, request.Method);
        activity?.SetTag(SipCallIdAttribute, request.CallId);
        activity?.SetTag("trunk.leg", leg.ToString());
        if (call is not null)
        {
            Describe(activity, call);
        }

        return new SipClientTelemetry(this, activity, leg, request.Method);
    }

    /// <summary>A call was accepted for routing: it is counted, and the span in progress becomes the call's trace.</summary>
    public void CallStarted(Call call)
    {
        _callsStarted.Add(1);
        if (Activity.Current is { } activity)
        {
            call.TraceContext = activity.Context;
            Describe(activity, call);
        }
    }

    /// <summary>A response we sent; the final one of the span's own request also marks the span.</summary>
    public void Responded(IncomingRequest request, SipResponse response)
    {
        Count(request.Request.Method, response.StatusCode, "sent");
        if (response.StatusCode >= 200 && Activity.Current is { Kind: ActivityKind.Server } activity
            && Equals(activity.GetTagItem(MethodAttribute), request.Request.Method))
        {
            MarkStatus(activity, response.StatusCode);
        }
    }

    /// <summary>
    /// A REFER answered: by its code and reason, and how long the answer took from its arrival. The span keeps the whole
    /// reason; the metric keeps its fixed part (a reason naming a host or number would make a series per target).
    /// </summary>
    public void ReferAnswered(int statusCode, string reason, TimeSpan elapsed)
    {
        Activity.Current?.SetTag("refer.reason", reason);
        var code = new KeyValuePair<string, object?>(StatusCodeAttribute, statusCode);
        _referOutcomes.Add(1, code, new KeyValuePair<string, object?>("reason", FixedPart(reason)));
        _referAnswerTime.Record(elapsed.TotalSeconds, code);
    }

    /// <summary>A reason up to its first quoted, numbered or bracketed part: "no rate for +4930…" → "no rate for".</summary>
    internal static string FixedPart(string? reason)
    {
        const int MaxLength = 64;
        var text = reason ?? string.Empty;
        var cut = text.AsSpan().IndexOfAny("'\"+(<0123456789");
        text = (cut < 0 ? text : text[..cut]).Trim();
        return text.Length == 0 ? "unspecified" : text[..Math.Min(text.Length, MaxLength)];
    }

    /// <summary>
    /// A span for publishing an event from the buffer, under the context it was published in (else its call's), so the
    /// bus message carries the call's trace even though it leaves later from another task.
    /// </summary>
    public Activity? StartPublish(Guid callId, Type messageType, ActivityContext publishedIn)
    {
        var parent = publishedIn != default ? publishedIn
            : _calls.TryGet(callId, out var call) ? call!.TraceContext : default;
        Activity.Current = null;
        var activity = _source.StartActivity(ActivityKind.Producer, parent, name: PublishSpanNames.GetOrAdd(messageType, t => "publish " + t.Name));
        activity?.SetTag(CallIdAttribute, callId);
        return activity;
    }

    internal void Count(string method, int statusCode, string direction) =>
        _responses.Add(1,
            new KeyValuePair<string, object?>(MethodAttribute, SipMethod.IsKnown(method) ? method : "other"),
            new KeyValuePair<string, object?>(StatusCodeAttribute, statusCode),
            new KeyValuePair<string, object?>("direction", direction));

    internal void PostDialDelay(LegSide leg, TimeSpan delay) =>
        _postDialDelay.Record(delay.TotalSeconds, new KeyValuePair<string, object?>("leg", leg.ToString().ToLowerInvariant()));

    internal static void MarkStatus(Activity activity, int statusCode)
    {
        activity.SetTag(StatusCodeAttribute, statusCode);
        if (statusCode >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>A method name from the wire, kept to the known ones so that span names and tags stay a small set.</summary>
    private static string KnownOrOther(string method) => SipMethod.IsKnown(method) ? method : "other";

    private static void Describe(Activity? activity, Call call)
    {
        activity?.SetTag(CallIdAttribute, call.Id);
        activity?.SetTag("trunk.caller_sip_call_id", call.SipCallId);
        activity?.SetTag(TrunkAttribute, call.Trunk.TrunkId);
        activity?.SetTag(AccountAttribute, call.Trunk.AccountId);
    }

    /// <summary>The status code in a <c>message/sipfrag</c> body (<c>SIP/2.0 200 OK</c>, RFC 3420).</summary>
    private static int? SipfragStatus(SipRequest request)
    {
        var span = request.Body.Span;
        return span.Length >= 11 && int.TryParse(System.Text.Encoding.ASCII.GetString(span.Slice(8, 3)), NumberStyles.None,
            CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
    }

    private IEnumerable<Measurement<long>> ObserveLegs()
    {
        long callers = 0, endpoints = 0, targets = 0;
        foreach (var call in _calls.All)
        {
            callers += call.Caller.Ended ? 0 : 1;
            endpoints += call.Endpoint is { Ended: false } ? 1 : 0;
            targets += call.Target is { Ended: false } ? 1 : 0;
        }

        return
        [
            new(callers, new KeyValuePair<string, object?>("leg", "caller")),
            new(endpoints, new KeyValuePair<string, object?>("leg", "endpoint")),
            new(targets, new KeyValuePair<string, object?>("leg", "target")),
        ];
    }
}
