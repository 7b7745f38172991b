using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Trunk.Signaling.Sip;

/// <summary>Starts listening for SIP with the host.</summary>
internal sealed partial class SipListener(SipEndpoint sip, RequestRouter router, ILogger<SipListener> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sip.Stack.OnRequest = router.RouteAsync;
        sip.Stack.Start();
        LogListening(string.Join(", ", sip.Stack.Transport.UdpEndPoints), string.Join(", ", sip.Stack.Transport.TcpEndPoints), sip.AdvertisedHost);
        return Task.CompletedTask;
    }

    /// <summary>The stack closes its sockets when the container disposes <see cref="SipEndpoint"/>, after the bus stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on udp {Udp} and tcp {Tcp}, advertised as {Advertised}")]
    private partial void LogListening(string udp, string tcp, string advertised);
}
