using System.Diagnostics.Metrics;

namespace Trunk.ServiceDefaults.Telemetry;

/// <summary>What kind of OpenTelemetry instrument a metric is; it decides the Prometheus name's suffixes.</summary>
public enum TrunkMetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// One of the trunk's own metrics: its OpenTelemetry name, unit and kind. The Grafana dashboard and the alert rules in
/// <c>observability/</c> may name only these (a test holds them to it), so a metric is renamed here or nowhere.
/// </summary>
public sealed record TrunkMetric(string Name, string Unit, TrunkMetricKind Kind, string Description)
{
    /// <summary>
    /// The name the Prometheus exporter gives it: dots become underscores, the unit is appended unless it is an
    /// annotation in braces (<c>s</c> → <c>_seconds</c>), counters end in <c>_total</c>.
    /// </summary>
    public string PrometheusName
    {
        get
        {
            var name = Name.Replace('.', '_');
            if (Unit == "s")
            {
                name += "_seconds";
            }

            return Kind == TrunkMetricKind.Counter ? name + "_total" : name;
        }
    }

    /// <summary>Every series name Prometheus stores for it: a histogram's buckets, sum and count.</summary>
    public IReadOnlyList<string> PrometheusSeries => Kind == TrunkMetricKind.Histogram
        ? [PrometheusName + "_bucket", PrometheusName + "_sum", PrometheusName + "_count"]
        : [PrometheusName];
}

/// <summary>The trunk's metrics, by the service that emits them. Tags are named in each description.</summary>
public static class TrunkMetrics
{
    public static readonly TrunkMetric Calls = new(
        "trunk.signaling.calls", "{call}", TrunkMetricKind.Counter, "Inbound calls accepted for routing (tags: none).");

    public static readonly TrunkMetric ActiveCalls = new(
        "trunk.signaling.active_calls", "{call}", TrunkMetricKind.Gauge, "Calls this instance holds now.");

    public static readonly TrunkMetric ActiveLegs = new(
        "trunk.signaling.active_legs", "{leg}", TrunkMetricKind.Gauge, "Legs not yet ended (tag: leg = caller, endpoint, target).");

    public static readonly TrunkMetric SipResponses = new(
        "trunk.signaling.sip_responses", "{response}", TrunkMetricKind.Counter,
        "Final and provisional SIP responses (tags: sip.method, sip.status_code, direction = sent or received).");

    public static readonly TrunkMetric ReferOutcomes = new(
        "trunk.signaling.refer_outcomes", "{refer}", TrunkMetricKind.Counter,
        "REFERs by their answer (tags: sip.status_code, reason).");

    public static readonly TrunkMetric ReferAnswerTime = new(
        "trunk.signaling.refer_answer_time", "s", TrunkMetricKind.Histogram,
        "From a REFER's arrival to its final answer, 202 or a rejection (tag: sip.status_code).");

    public static readonly TrunkMetric PostDialDelay = new(
        "trunk.signaling.post_dial_delay", "s", TrunkMetricKind.Histogram,
        "From our INVITE to the first 180/183, or to the 2xx when no ringing came (tag: leg = endpoint or target).");

    public static readonly TrunkMetric SagaTransitions = new(
        "trunk.transfer.transitions", "{transition}", TrunkMetricKind.Counter,
        "Transfer saga state changes (tags: from, to; to = Completed or Failed ends a transfer).");

    public static readonly TrunkMetric RtpPackets = new(
        "trunk.media.rtp_packets", "{packet}", TrunkMetricKind.Counter, "RTP packets relayed (tag: direction = received or sent).");

    public static readonly TrunkMetric RtpPacketsLost = new(
        "trunk.media.rtp_packets_lost", "{packet}", TrunkMetricKind.Counter, "RTP packets missing by sequence number (RFC 3550 A.3).");

    public static readonly TrunkMetric NoAudio = new(
        "trunk.media.no_audio", "{leg}", TrunkMetricKind.Counter, "Bridged legs that received no RTP for the silence limit.");

    public static readonly TrunkMetric ConsumerLag = new(
        "trunk.bus.consumer_lag", "s", TrunkMetricKind.Histogram,
        "From a bus message's SentTime to the start of its consumption (tag: messaging.message_type).");

    public static readonly TrunkMetric OutboxWait = new(
        "trunk.transfer.outbox_wait", "s", TrunkMetricKind.Histogram,
        "From the saga's decision to its outbox sending the message (tag: messaging.message_type).");

    public static readonly TrunkMetric UnstoredEvents = new(
        "trunk.callhistory.unstored_events", "{event}", TrunkMetricKind.Counter,
        "Call event deliveries CallHistory could not store (tag: outcome = forwarded to its retry queue, or refused there and requeued).");

    public static readonly TrunkMetric PrunedCalls = new(
        "trunk.callhistory.pruned_calls", "{call}", TrunkMetricKind.Counter,
        "Calls deleted past CallHistory:Retention with their events, summary, SIP trace and outcome (tags: none).");

    public static readonly TrunkMetric PrunedWebhookRecords = new(
        "trunk.webhooks.pruned_records", "{record}", TrunkMetricKind.Counter,
        "Webhook records deleted past Webhooks:Retention (tag: record = delivery, dead_letter, transfer).");

    public static readonly TrunkMetric ExpiredReservations = new(
        "trunk.policy.expired_reservations", "{reservation}", TrunkMetricKind.Counter,
        "Reservations Policy returned to their balance past Policy:ReservationLifetime with no charge: a lost settlement (tags: none).");

    public static IReadOnlyList<TrunkMetric> All { get; } =
    [
        Calls, ActiveCalls, ActiveLegs, SipResponses, ReferOutcomes, ReferAnswerTime, PostDialDelay,
        SagaTransitions, RtpPackets, RtpPacketsLost, NoAudio, ConsumerLag, OutboxWait, UnstoredEvents,
        PrunedCalls, PrunedWebhookRecords, ExpiredReservations,
    ];

    /// <summary>Seconds, from 1 ms to 30 s: the span of a bus hop, a REFER decision and a post-dial delay.</summary>
    internal static double[] SecondsBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static Counter<long> CreateCounter(this Meter meter, TrunkMetric metric)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(metric);
        return meter.CreateCounter<long>(metric.Name, metric.Unit, metric.Description);
    }

    public static Histogram<double> CreateHistogram(this Meter meter, TrunkMetric metric)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(metric);
        return meter.CreateHistogram<double>(metric.Name, metric.Unit, metric.Description);
    }

    public static ObservableGauge<long> CreateObservableGauge(this Meter meter, TrunkMetric metric, Func<IEnumerable<Measurement<long>>> observe)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(metric);
        return meter.CreateObservableGauge(metric.Name, observe, metric.Unit, metric.Description);
    }
}
