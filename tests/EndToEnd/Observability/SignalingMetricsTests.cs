using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Trunk.Testing;

namespace Trunk.EndToEnd.Tests.Observability;

/// <summary>
/// The Signaling host, started as a real process, shows its instruments on <c>/metrics</c>: the live call and leg
/// gauges from the start, and a SIP response it sent, by method and code, once a peer asked something.
/// </summary>
public sealed class SignalingMetricsTests : IAsyncLifetime
{
    private readonly int _sipPort = FreePort.UdpAndTcp();
    private ServiceProcess _host = null!;

    public async Task InitializeAsync()
    {
        _host = ServiceProcess.Start("Signaling", new Dictionary<string, string?>
        {
            ["RabbitMq__VirtualHost"] = TestInfrastructure.RabbitVirtualHost + "-hosts",
            ["Sip__ListenAddress"] = "127.0.0.1",
            ["Sip__Port"] = _sipPort.ToString(CultureInfo.InvariantCulture),
        });
        await _host.WaitForReadinessAsync(r => r.Status == "Healthy", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task When_idle_Should_show_no_active_calls_and_no_active_legs()
    {
        var scrape = await PrometheusScrape.WaitAsync(_host.Http, s => s.Names.Contains("trunk_signaling_active_legs"), TimeSpan.FromSeconds(10));

        Assert.EndsWith(" 0", Assert.Single(scrape.Find("trunk_signaling_active_calls")), StringComparison.Ordinal);
        foreach (var leg in new[] { "caller", "endpoint", "target" })
        {
            Assert.EndsWith(" 0", Assert.Single(scrape.Find("trunk_signaling_active_legs", $"leg=\"{leg}\"")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task When_a_peer_sends_OPTIONS_Should_count_the_200_sent_by_method_and_code()
    {
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)peer.Client.LocalEndPoint!;
        var options = string.Join("\r\n",
            $"OPTIONS sip:127.0.0.1:{_sipPort} SIP/2.0",
            $"Via: SIP/2.0/UDP 127.0.0.1:{local.Port};branch=z9hG4bK{Guid.NewGuid():N}",
            "Max-Forwards: 70",
            "From: <sip:probe@127.0.0.1>;tag=probe",
            $"To: <sip:127.0.0.1:{_sipPort}>",
            $"Call-ID: {Guid.NewGuid():N}@127.0.0.1",
            "CSeq: 1 OPTIONS",
            "Content-Length: 0",
            "",
            "");

        await peer.SendAsync(Encoding.ASCII.GetBytes(options), new IPEndPoint(IPAddress.Loopback, _sipPort));
        var response = await peer.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("SIP/2.0 200", Encoding.ASCII.GetString(response.Buffer), StringComparison.Ordinal);
        string[] labels = ["sip_method=\"OPTIONS\"", "sip_status_code=\"200\"", "direction=\"sent\""];
        var scrape = await PrometheusScrape.WaitAsync(_host.Http, s => s.Find("trunk_signaling_sip_responses_total", labels).Any(),
            TimeSpan.FromSeconds(10));
        Assert.EndsWith(" 1", Assert.Single(scrape.Find("trunk_signaling_sip_responses_total", labels)), StringComparison.Ordinal);
    }
}
