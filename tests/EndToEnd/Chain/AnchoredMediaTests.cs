using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Trunk.Testing.Rtp;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>
/// Issue 6's transfer as the caller hears it, with every service running and the trunk's media anchored through the
/// Media service: the caller (SIPp for SIP, a UDP socket of the test for RTP) hears the US ringback while the target
/// rings, then the target's voice; the target hears the caller; nobody re-INVITEs the caller.
/// </summary>
[Collection(TrunkChainCollection.Name)]
public sealed class AnchoredMediaTests(TrunkChain trunk)
{
    private const double CallerTone = 700;
    private const double TargetTone = 1000;
    private const double EndpointTone = 500;
    private static readonly TimeSpan Listen = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task When_an_anchored_transfer_rings_then_answers_Should_play_ringback_to_the_caller_then_carry_audio_both_ways()
    {
        using var callerRtp = new RtpPeer();
        using var targetRtp = new RtpPeer();
        var callerHears = Task.Run(() => Talk(callerRtp, CallerTone, hearing: packets => packets.Count(p => p.Ssrc != packets[0].Ssrc) >= 25));
        var targetHears = Task.Run(() => Talk(targetRtp, TargetTone, hearing: packets => packets.Count >= 25));
        var did = PolicyAdmin.NewDid();

        await Placed(trunk, did, callerRtp.Port, targetRtp.Port);

        var atCaller = await callerHears;
        var atTarget = await targetHears;
        var ringback = atCaller.TakeWhile(p => p.Ssrc == atCaller[0].Ssrc).ToList();
        var fromTarget = atCaller.SkipWhile(p => p.Ssrc == atCaller[0].Ssrc).ToList();
        Assert.True(ringback.Count >= 25, $"The caller heard {ringback.Count} packets before the target's voice ({atCaller.Count} in all)\n{trunk.Logs()}");
        AssertTone(MuLaw.Samples(ringback.Select(p => p.Payload)), [440, 480], [350, TargetTone, CallerTone], "ringback at the caller");
        Assert.True(fromTarget.Count >= 25, $"The caller heard {fromTarget.Count} packets of the target\n{trunk.Logs()}");
        AssertTone(MuLaw.Samples(fromTarget.Skip(2).Select(p => p.Payload)), [TargetTone], [440, 480, CallerTone], "the target's voice at the caller");
        Assert.True(atTarget.Count >= 25, $"The target heard {atTarget.Count} packets\n{trunk.Logs()}");
        AssertTone(MuLaw.Samples(atTarget.Skip(2).Select(p => p.Payload)), [CallerTone], [440, 480, TargetTone], "the caller's voice at the target");
        Assert.All(atCaller.Concat(atTarget), p => Assert.Equal(0, p.PayloadType));

        // The call's history has each leg's RTP statistics from Media once the call ended.
        var media = await MediaOfCallAsync(did);
        Assert.Contains(media, m => m.GetProperty("leg").GetString() == "Caller" && m.GetProperty("packets").GetInt64() > 25);
        Assert.Contains(media, m => m.GetProperty("leg").GetString() == "Target" && m.GetProperty("packets").GetInt64() > 25);
    }

    [Fact]
    public async Task When_an_anchored_transfer_rings_out_Should_give_the_caller_back_to_the_endpoint_after_the_ringback()
    {
        const string TargetNumber = "+14155551234";
        using var callerRtp = new RtpPeer();
        using var endpointRtp = new RtpPeer();
        var policy = trunk.Policy.Http;
        await PolicyAdmin.SetRateAsync(policy, "1", 0.01m);
        var accountId = await PolicyAdmin.CreateAccountAsync(policy, 100m);
        var domain = PolicyAdmin.NewDomain();
        var did = PolicyAdmin.NewDid();
        await using var target = Sipp.Server(Scenario.Write("uas_rings_until_cancel.xml", Values()));
        await using var endpoint = Sipp.Server(Scenario.Write("uas_refers.xml", Values(
            ("REFER_HEADERS", Headers($"Refer-To: <sip:{TargetNumber}@{domain}>")),
            ("REFER_CODE", "202"),
            ("RTP_PORT", Port(endpointRtp.Port)),
            ("AFTER_REFER", Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 480 Temporarily Unavailable")))));
        await PolicyAdmin.CreateTrunkAsync(policy, accountId, domain, did, endpoint.Uri, target.Uri, ringTimeoutSeconds: 2, media: "Anchored");
        // The endpoint talks for 8 s from the caller's first packet: before the transfer and after it failed.
        var endpointTalks = Task.Run(() => Talk(endpointRtp, EndpointTone, hearing: packets => packets.Count >= 25, frames: 400));

        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values(("HOLD_MS", "9000"), ("RTP_PORT", Port(callerRtp.Port)))),
            trunk.SipPort, did);
        var media = await CallersMediaAddressAsync(did);
        var atCaller = Talk(callerRtp, CallerTone, media: media, hearing: packets => Runs(packets) is [.., { Ssrc: var ringback }, { Ssrc: var back, Count: >= 25 }]
            && back == endpointRtp.Ssrc && ringback != endpointRtp.Ssrc);

        await caller.AssertPassedAsync("caller", trunk.Logs);
        await endpoint.AssertPassedAsync("endpoint", trunk.Logs);
        await target.AssertPassedAsync("target", trunk.Logs);
        var runs = Runs(atCaller);
        Assert.True(runs is [.., { Ssrc: var tone }, { Ssrc: var again }] && tone != endpointRtp.Ssrc && again == endpointRtp.Ssrc,
            $"The caller heard {string.Join(", ", runs.Select(r => $"{r.Count} packets of {(r.Ssrc == endpointRtp.Ssrc ? "the endpoint" : r.Ssrc)}"))}\n{trunk.Logs()}");
        var ringbackRun = atCaller.Where(p => p.Ssrc == runs[^2].Ssrc).ToList();
        AssertTone(MuLaw.Samples(ringbackRun.Select(p => p.Payload)), [440, 480], [350, EndpointTone, CallerTone], "ringback at the caller");
        AssertTone(MuLaw.Samples(atCaller.Skip(atCaller.Count - runs[^1].Count + 2).Select(p => p.Payload)), [EndpointTone], [440, 480, CallerTone],
            "the endpoint's voice at the caller after the transfer failed");
        Assert.Contains(await endpointTalks, p => p.Ssrc == callerRtp.Ssrc);
    }

    [Fact]
    public async Task When_the_caller_offers_no_G711_on_an_anchored_trunk_Should_answer_488_and_dial_no_endpoint()
    {
        var policy = trunk.Policy.Http;
        var accountId = await PolicyAdmin.CreateAccountAsync(policy, 100m);
        var did = PolicyAdmin.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_answers.xml", Values()));
        await PolicyAdmin.CreateTrunkAsync(policy, accountId, PolicyAdmin.NewDomain(), did, endpoint.Uri, "sip:127.0.0.1:9", ringTimeoutSeconds: 10, media: "Anchored");

        await using var caller = Sipp.Client(Scenario.Write("caller_rejected.xml", Values(("CODE", "488"), ("PAYLOAD", "18"), ("CODEC", "G729/8000"))),
            trunk.SipPort, did);

        await caller.AssertPassedAsync("caller", trunk.Logs);
        var summary = await trunk.CallToAsync(did, s => s.TryGetProperty("hangupCause", out var cause) && cause.ValueKind == JsonValueKind.String);
        Assert.Equal("media_unavailable", summary.GetProperty("hangupCause").GetString());
        Assert.Equal(0, summary.GetProperty("legs").EnumerateArray().Count(l => l.GetProperty("leg").GetString() == "Endpoint"));
    }

    /// <summary>
    /// A transfer whose caller (RTP at <paramref name="callerRtpPort"/>) stays on the line for 9 s and whose target
    /// rings for 1.5 s before answering (RTP at <paramref name="targetRtpPort"/>); every SIPp peer must pass.
    /// </summary>
    private static async Task Placed(TrunkChain trunk, string did, int callerRtpPort, int targetRtpPort)
    {
        const string TargetNumber = "+14155551234";
        var policy = trunk.Policy.Http;
        await PolicyAdmin.SetRateAsync(policy, "1", 0.01m);
        var accountId = await PolicyAdmin.CreateAccountAsync(policy, 100m);
        var domain = PolicyAdmin.NewDomain();
        await using var target = Sipp.Server(Scenario.Write("uas_answers.xml", Values(("RING_MS", "1500"), ("RTP_PORT", Port(targetRtpPort)))));
        await using var endpoint = Sipp.Server(Scenario.Write("uas_refers.xml", Values(
            ("REFER_HEADERS", Headers($"Refer-To: <sip:{TargetNumber}@{domain}>")),
            ("REFER_CODE", "202"),
            ("AFTER_REFER", Notifies("SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 200 OK")))));
        await PolicyAdmin.CreateTrunkAsync(policy, accountId, domain, did, endpoint.Uri, target.Uri, ringTimeoutSeconds: 10, media: "Anchored");

        // The caller's SDP names the test's socket; no re-INVITE may reach it (the scenario expects none).
        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values(("HOLD_MS", "9000"), ("RTP_PORT", Port(callerRtpPort)))),
            trunk.SipPort, did);

        await caller.AssertPassedAsync("caller", trunk.Logs);
        await endpoint.AssertPassedAsync("endpoint", trunk.Logs);
        await target.AssertPassedAsync("target", trunk.Logs);
    }

    /// <summary>
    /// A phone's RTP: speaks a tone every 20 ms (<paramref name="frames"/> at least) to <paramref name="media"/>, or,
    /// when that is not known, to where Media's first packet came from; keeps what it hears until
    /// <paramref name="hearing"/> has enough or <see cref="Listen"/> is up.
    /// </summary>
    private static List<ReceivedRtp> Talk(RtpPeer phone, double tone, Func<List<ReceivedRtp>, bool> hearing, IPEndPoint? media = null, int frames = 100)
    {
        var heard = new List<ReceivedRtp>();
        var deadline = Stopwatch.StartNew();
        if (media is null)
        {
            if (phone.Receive(Listen) is not { } first)
            {
                return heard;
            }

            heard.Add(first);
            media = first.From;
        }

        var frame = 0;
        var clock = Stopwatch.StartNew();
        while ((!hearing(heard) || frame < frames) && deadline.Elapsed < Listen)
        {
            if (phone.Receive(TimeSpan.FromMilliseconds(5)) is { } packet)
            {
                heard.Add(packet);
            }

            while (clock.Elapsed.TotalMilliseconds >= frame * 20)
            {
                phone.Send(media, 0, MuLaw.ToneFrame(tone, frame++));
            }
        }

        return heard;
    }

    private static void AssertTone(List<short> samples, double[] present, double[] absent, string what)
    {
        var power = present.Concat(absent).ToDictionary(f => f, f => Goertzel.Power(samples, f));
        var report = $"{what}: " + string.Join(", ", power.Select(p => $"{p.Key} Hz {p.Value:E2}"));
        Assert.True(present.All(p => absent.All(a => power[p] > 100 * power[a])), report);
    }

    private async Task<List<JsonElement>> MediaOfCallAsync(string did) =>
        [.. (await trunk.CallToAsync(did, s => s.GetProperty("media").GetArrayLength() >= 2)).GetProperty("media").EnumerateArray()];

    /// <summary>Consecutive packets of one source, as (SSRC, count), in the order they were heard.</summary>
    private static List<(uint Ssrc, int Count)> Runs(List<ReceivedRtp> packets)
    {
        var runs = new List<(uint Ssrc, int Count)>();
        foreach (var packet in packets)
        {
            if (runs.Count > 0 && runs[^1].Ssrc == packet.Ssrc)
            {
                runs[^1] = (packet.Ssrc, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((packet.Ssrc, 1));
            }
        }

        return runs;
    }

    /// <summary>Where Media takes the caller's RTP: the SDP of the 200 the trunk sent the caller, read from the call's SIP trace.</summary>
    private async Task<IPEndPoint> CallersMediaAddressAsync(string did)
    {
        var id = (await trunk.CallToAsync(did, _ => true)).GetProperty("id").GetGuid();
        var answer = await TrunkChain.EventuallyAsync(
            async () => (await trunk.CallHistory.Http.GetFromJsonAsync<JsonElement>(new Uri($"/calls/{id}/sip-trace", UriKind.Relative)))
                .GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("leg").GetString() == "Caller" && m.GetProperty("direction").GetString() == "Sent")
                .Select(m => m.GetProperty("raw").GetString()!)
                .FirstOrDefault(raw => raw.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && raw.Contains("m=audio", StringComparison.Ordinal)),
            answer => answer is not null,
            _ => $"No 200 to the caller in the SIP trace of call {id}\n{trunk.Logs()}");
        var port = System.Text.RegularExpressions.Regex.Match(answer!, @"m=audio (\d+)").Groups[1].Value;
        return new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
