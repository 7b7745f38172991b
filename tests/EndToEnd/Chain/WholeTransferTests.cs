using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>
/// Issue 5's end-to-end table with every service running and nothing played by the test: SIPp is the caller, the
/// endpoint (which answers and REFERs) and the target behind the carrier gateway; Policy's data is created through
/// its admin API; the saga, Policy and Signaling decide everything over the real RabbitMQ.
/// </summary>
[Collection(TrunkChainCollection.Name)]
public sealed class WholeTransferTests(TrunkChain trunk)
{
    private const string DomesticTarget = "+14155551234";
    private const string BritishTarget = "+447400123456";

    [Fact]
    public async Task When_a_domestic_transfer_is_answered_Should_bridge_with_the_callers_number_at_the_target_and_keep_it_in_history()
    {
        var call = await AnsweredTransferAsync(DomesticTarget);

        var summary = await trunk.CallToAsync(call.Did, s => Transfers(s).Any(t => Outcome(t) == 200) && s.TryGetProperty("endedAt", out var e) && e.ValueKind != JsonValueKind.Null);
        Assert.Equal(CallerNumber, summary.GetProperty("callerNumber").GetString());
        Assert.Equal("caller_hangup", summary.GetProperty("hangupCause").GetString());

        // The call read back whole: its SIP trace, its events, and its page with the SIP ladder.
        var history = trunk.CallHistory.Http;
        var id = summary.GetProperty("id").GetGuid();
        var trace = await history.GetStringAsync(new Uri($"/calls/{id}/sip-trace?format=text", UriKind.Relative));
        Assert.Contains("REFER sip:", trace, StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 202 Accepted", trace, StringComparison.Ordinal);
        // The money comes last: one charge of the call, the rest of the reservation released.
        var events = await WaitForEventAsync(id, "funds_released");
        Assert.Single(Regex.Matches(events, "\"type\":\"call_charged\""));
        foreach (var type in new[] { "call_received", "refer_received", "transfer_accepted", "target_answered", "call_bridged", "transfer_completed", "call_ended" })
        {
            Assert.Contains($"\"type\":\"{type}\"", events, StringComparison.Ordinal);
        }

        var page = await history.GetStringAsync(new Uri($"/ui/calls/{id}", UriKind.Relative));
        Assert.Contains("aria-label=\"SIP ladder diagram\"", page, StringComparison.Ordinal);
        Assert.Contains("REFER", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_transfer_completes_Should_leave_one_trace_of_the_call_with_spans_from_every_service_in_causal_order()
    {
        var call = await AnsweredTransferAsync(DomesticTarget, media: "Anchored");
        var callId = (await trunk.CallToAsync(call.Did, s => Transfers(s).Any(t => Outcome(t) == 200))).GetProperty("id").GetGuid().ToString();

        string[] services = ["signaling", "transfer", "policy", "media", "callhistory"];
        // Media's statistics go out when its legs are released at the call's end: the last spans of the trace.
        var trace = await WaitForTraceAsync(callId, services, ("media", "media event"));

        var elsewhere = trunk.Traces.Spans.Where(s => s.Attributes.GetValueOrDefault("trunk.call_id") == callId && s.TraceId != trace[0].TraceId);
        Assert.True(!elsewhere.Any(), "Spans of the call outside its trace: " + string.Join(", ", elsewhere.Select(s => $"{s.Service} '{s.Name}'")));
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal(("signaling", "sip INVITE"), (root.Service, root.Name));
        var byId = trace.ToDictionary(s => s.SpanId);
        foreach (var span in trace.Where(s => s.ParentSpanId is not null))
        {
            Assert.True(byId.TryGetValue(span.ParentSpanId!, out var parent), $"{span.Service} '{span.Name}' has a parent outside the trace");
            Assert.True(parent.StartUnixNano <= span.StartUnixNano, $"{span.Service} '{span.Name}' started before its parent '{parent.Name}'");
        }

        // The REFER was decided in Signaling from the account's rules Policy pushed: Policy's part is the reservation.
        Assert.Contains(trace, s => s.Service == "policy" && s.Name == "funds reserve");
        Assert.Contains(trace, s => s.Service == "transfer" && s.Name.StartsWith("saga ", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Service == "signaling" && s.Name == "sip REFER");
        Assert.Contains(trace, s => s.Service == "media" && s.Name == "media bridge");
    }

    /// <summary>
    /// The spans of the call's trace, once every service in <paramref name="services"/> has exported some of it, the
    /// <paramref name="last"/> span is in, and every parent is in.
    /// </summary>
    private Task<List<ReceivedSpan>> WaitForTraceAsync(string callId, string[] services, (string Service, string Name) last) => TrunkChain.EventuallyAsync(
        () =>
        {
            var spans = trunk.Traces.Spans;
            var traceId = spans.FirstOrDefault(s => s.Attributes.GetValueOrDefault("trunk.call_id") == callId)?.TraceId;
            return Task.FromResult<List<ReceivedSpan>>(traceId is null ? [] : [.. spans.Where(s => s.TraceId == traceId)]);
        },
        // Spans are exported as they end, a parent after its children: the trace is whole when every parent is in.
        trace => services.All(service => trace.Any(s => s.Service == service))
            && trace.Any(s => (s.Service, s.Name) == last)
            && trace.All(s => s.ParentSpanId is null || trace.Any(p => p.SpanId == s.ParentSpanId)),
        _ =>
        {
            var ofCall = trunk.Traces.Spans.Where(s => s.Attributes.GetValueOrDefault("trunk.call_id") == callId)
                .GroupBy(s => s.TraceId).Select(g => $"trace {g.Key}: {string.Join(", ", g.Select(s => $"{s.Service} '{s.Name}'"))}");
            return $"The call's trace never had spans from {string.Join(", ", services)} and {last} with every parent; the call's spans by trace: {string.Join(" | ", ofCall)}";
        });

    [Fact]
    public async Task When_an_international_target_has_no_geo_permission_Should_answer_the_REFER_403()
    {
        await TransferAsync(BritishTarget, target: null, endpointNotifies: string.Empty, callerScenario: "caller_hangs_up.xml", referCode: "403");
    }

    [Fact]
    public async Task When_a_country_is_allowed_after_a_REFER_to_it_was_refused_Should_decide_the_next_REFER_from_the_pushed_rules()
    {
        var refused = await TransferAsync(BritishTarget, target: null, endpointNotifies: string.Empty, callerScenario: "caller_hangs_up.xml",
            referCode: "403");
        await PolicyAdmin.AllowCountryAsync(trunk.Policy.Http, refused.AccountId, "GB");

        // The account's rules were held when the second call arrived: only the push of the new permission lets it through.
        var accepted = await AnsweredTransferAsync(BritishTarget, accountId: refused.AccountId);

        Assert.Equal((403, "no geo permission for GB"), await ReferDecisionAsync(refused.Did));
        Assert.Equal((202, "Accepted"), await ReferDecisionAsync(accepted.Did));
    }

    [Fact]
    public async Task When_the_account_may_call_the_targets_country_Should_complete_the_international_transfer()
    {
        await AnsweredTransferAsync(BritishTarget, allowCountry: "GB");
    }

    [Fact]
    public async Task When_the_balance_is_empty_Should_notify_402_and_leave_the_caller_with_the_endpoint()
    {
        var call = await TransferAsync(
            DomesticTarget,
            target: null,
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 402 Payment Required"),
            callerScenario: "caller_hangs_up.xml",
            balance: 0m);

        // The caller stayed with the endpoint until the caller hung up: the call's end is the caller's BYE.
        var summary = await trunk.CallToAsync(call.Did, s => Transfers(s).Any(t => Outcome(t) == 402) && s.TryGetProperty("endedAt", out var e) && e.ValueKind != JsonValueKind.Null);
        Assert.Equal("Caller", summary.GetProperty("hungUpBy").GetString());
    }

    [Fact]
    public async Task When_the_target_is_busy_Should_notify_486()
    {
        await TransferAsync(
            DomesticTarget,
            target: Scenario.Write("uas_fails.xml", Values(("CODE", "486"), ("REASON", "Busy Here"))),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 486 Busy Here"),
            callerScenario: "caller_hangs_up.xml");
    }

    [Fact]
    public async Task When_the_target_does_not_answer_within_the_trunks_ring_timeout_Should_cancel_it_and_notify_480()
    {
        await TransferAsync(
            DomesticTarget,
            target: Scenario.Write("uas_rings_until_cancel.xml", Values()),
            endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 480 Temporarily Unavailable"),
            callerScenario: "caller_hangs_up.xml",
            ringTimeoutSeconds: 2);
    }

    private sealed record PlacedCall(string Did, Guid AccountId);

    /// <summary>
    /// A transfer the target answers: NOTIFY 100, 180, 200 at the endpoint, the caller bridged to the target (by a
    /// re-INVITE with the target's SDP when media passes through; by Media, unseen by the caller, when it is anchored).
    /// </summary>
    private Task<PlacedCall> AnsweredTransferAsync(string targetNumber, string? allowCountry = null, string media = "Passthrough", Guid? accountId = null) => TransferAsync(
        targetNumber,
        target: Scenario.Write("uas_answers.xml", Values()),
        endpointNotifies: Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 200 OK"),
        callerScenario: media == "Anchored" ? "caller_hangs_up.xml" : "caller_transferred.xml",
        allowCountry: allowCountry,
        media: media,
        accountId: accountId);

    /// <summary>
    /// Creates an account (with <paramref name="balance"/>), a trunk with a fresh DID to the SIPp endpoint, and
    /// places one call that the endpoint transfers to <paramref name="targetNumber"/>; every SIPp peer must pass. A
    /// caller that stays with the endpoint hangs up after 8 s: long enough for the endpoint's last NOTIFY on a loaded
    /// machine, since SIPp cannot wait for another peer's message; a bridged caller 3 s after the bridge, after the
    /// endpoint's NOTIFY 200 and BYE.
    /// </summary>
    private async Task<PlacedCall> TransferAsync(string targetNumber, string? target, string endpointNotifies, string callerScenario,
        string referCode = "202", decimal balance = 100m, string? allowCountry = null, int ringTimeoutSeconds = 10, string media = "Passthrough",
        int? callerRtpPort = null, Guid? accountId = null)
    {
        var policy = trunk.Policy.Http;
        await PolicyAdmin.SetRateAsync(policy, "1", 0.01m);
        await PolicyAdmin.SetRateAsync(policy, "44", 0.02m);
        accountId ??= await PolicyAdmin.CreateAccountAsync(policy, balance);
        if (allowCountry is not null)
        {
            await PolicyAdmin.AllowCountryAsync(policy, accountId.Value, allowCountry);
        }

        await using var targetUas = target is null ? null : Sipp.Server(target);
        var domain = PolicyAdmin.NewDomain();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_refers.xml", Values(
            ("REFER_HEADERS", Headers($"Refer-To: <sip:{targetNumber}@{domain}>", "Referred-By: <sip:+14155550100@pbx.example>")),
            ("REFER_CODE", referCode), ("AFTER_REFER", endpointNotifies))));
        var did = PolicyAdmin.NewDid();
        await PolicyAdmin.CreateTrunkAsync(policy, accountId.Value, domain, did, endpoint.Uri, targetUas?.Uri ?? "sip:127.0.0.1:9", ringTimeoutSeconds, media);

        var callerValues = Values(("HOLD_MS", callerScenario == "caller_hangs_up.xml" ? "8000" : "3000"));
        if (callerRtpPort is { } rtpPort)
        {
            callerValues["RTP_PORT"] = rtpPort.ToString(CultureInfo.InvariantCulture);
        }

        await using var caller = Sipp.Client(Scenario.Write(callerScenario, callerValues), trunk.SipPort, did);

        await caller.AssertPassedAsync("caller", trunk.Logs);
        await endpoint.AssertPassedAsync("endpoint", trunk.Logs);
        if (targetUas is not null)
        {
            await targetUas.AssertPassedAsync("target", trunk.Logs);
        }

        return new PlacedCall(did, accountId.Value);
    }

    /// <summary>How Signaling answered the call's REFER from the account's rules (<c>decision</c> of its <c>refer_received</c>).</summary>
    private async Task<(int SipCode, string? Reason)> ReferDecisionAsync(string did)
    {
        var id = (await trunk.CallToAsync(did, s => Transfers(s).Any(t => Outcome(t) is not null))).GetProperty("id").GetGuid();
        using var events = JsonDocument.Parse(await WaitForEventAsync(id, "refer_received"));
        var refer = events.RootElement.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "refer_received").GetProperty("data");
        Assert.True(refer.TryGetProperty("decision", out var decision) && decision.ValueKind == JsonValueKind.Object,
            $"The REFER of the call to {did} was not decided by Signaling: {refer}");
        return (decision.GetProperty("sipCode").GetInt32(), decision.GetProperty("reason").GetString());
    }

    /// <summary>The call's events (JSON) once one of type <paramref name="type"/> is stored.</summary>
    private Task<string> WaitForEventAsync(Guid callId, string type) => TrunkChain.EventuallyAsync(
        () => trunk.CallHistory.Http.GetStringAsync(new Uri($"/calls/{callId}/events", UriKind.Relative)),
        events => events.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal),
        events => $"No {type} event for call {callId}: {events}");

    private static IEnumerable<JsonElement> Transfers(JsonElement summary) => summary.GetProperty("transfers").EnumerateArray();

    private static int? Outcome(JsonElement transfer) =>
        transfer.TryGetProperty("sipCode", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null;
}
