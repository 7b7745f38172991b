using System.Diagnostics;
using System.Net;
using Trunk.CallHistory.SipTraces;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.Tests.SipTraces;

/// <summary>The downloads are read by Wireshark's own tools (tshark, text2pcap, Debian package tshark), not by our code.</summary>
[Collection(HostCollection.Name)]
public sealed class SipTraceExportTests(CallHistoryHost host)
{
    [Fact]
    public async Task When_the_trace_is_downloaded_as_pcap_Should_let_tshark_decode_every_sip_message_with_its_addresses_and_time()
    {
        var call = await RecordAsync();
        using var response = await host.Http.GetAsync(new Uri($"/calls/{call.CallId}/sip-trace?format=pcap", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SipTracePcap.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"call-{call.CallId}.pcap", response.Content.Headers.ContentDisposition?.FileName);
        var pcap = Path.Combine(Path.GetTempPath(), $"{call.CallId}.pcap");
        await File.WriteAllBytesAsync(pcap, await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(Expected(call), await DecodeAsync(pcap));
        File.Delete(pcap);
    }

    [Fact]
    public async Task When_the_trace_is_downloaded_as_a_hex_dump_Should_convert_with_text2pcap_to_the_same_packets()
    {
        var call = await RecordAsync();
        var dump = Path.Combine(Path.GetTempPath(), $"{call.CallId}.txt");
        var pcap = Path.ChangeExtension(dump, ".pcap");
        await File.WriteAllTextAsync(dump, await host.Http.GetStringAsync(new Uri($"/calls/{call.CallId}/sip-trace?format=hexdump", UriKind.Relative)));

        await RunAsync("text2pcap", "-q", "-t", SipTraceHexDump.TimeFormat, dump, pcap);

        Assert.Equal(Expected(call), await DecodeAsync(pcap));
        File.Delete(dump);
        File.Delete(pcap);
    }

    private async Task<TransferredCall> RecordAsync()
    {
        var call = new TransferredCall(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero).AddSeconds(Random.Shared.Next(0, 86_400)), "+15557000020");
        var traces = call.Events.OfType<SipMessagesTraced>().ToList();
        await host.PublishAllAsync([call.Received, .. traces]);
        await host.WaitForEventsAsync(call.CallId, 1 + traces.Count);
        return call;
    }

    /// <summary>Per message: time (µs), source, destination and the SIP start line, as Wireshark should show them.</summary>
    private static List<string> Expected(TransferredCall call) =>
    [
        .. call.Events.OfType<SipMessagesTraced>().SelectMany(t => t.Messages).OrderBy(m => m.At).Select(m =>
        {
            var (from, to) = m.Direction == SipDirection.Sent ? (m.LocalAddress, m.RemoteAddress) : (m.RemoteAddress, m.LocalAddress);
            return $"{m.At.ToUnixTimeMilliseconds() / 1000}.{m.At.ToUnixTimeMilliseconds() % 1000:000}000000 {from} {to} {m.Raw[..m.Raw.IndexOf('\r', StringComparison.Ordinal)]}";
        }),
    ];

    private static async Task<List<string>> DecodeAsync(string pcap)
    {
        var output = await RunAsync(
            "tshark", "-r", pcap, "-d", "udp.port==5060,sip", "-T", "fields", "-E", "separator=/s",
            "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport", "-e", "sip.Request-Line", "-e", "sip.Status-Line");
        return
        [
            .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
            {
                var f = line.Split(' ', 6);
                return $"{f[0]} {f[1]}:{f[2]} {f[3]}:{f[4]} {f[5].Trim()}";
            }),
        ];
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
