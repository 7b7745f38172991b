using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Telemetry;
using Trunk.Signaling.Tracing;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Sip;

/// <summary>
/// The SIP stack of this instance, bound to <c>Sip:ListenAddress</c>:<c>Sip:Port</c> on UDP and TCP, and every
/// send and answer of the B2BUA, each traced to the call it belongs to, counted, and (for sends) a client span.
/// </summary>
internal sealed class SipEndpoint : IAsyncDisposable
{
    private readonly SipTracer _tracer;
    private readonly SignalingTelemetry _telemetry;

    public SipEndpoint(IOptions<SipSettings> settings, SipTracer tracer, SignalingTelemetry telemetry, TimeProvider time, ILoggerFactory loggers)
    {
        var sip = settings.Value;
        _tracer = tracer;
        _telemetry = telemetry;
        var listen = new IPEndPoint(IPAddress.Parse(sip.ListenAddress), sip.Port);
        Stack = new SipStack(
            new SipStackOptions
            {
                Transport = new SipTransportOptions
                {
                    Udp = [listen],
                    Tcp = [listen],
                    AdvertisedHost = string.IsNullOrWhiteSpace(sip.AdvertisedAddress) ? null : sip.AdvertisedAddress.Trim(),
                    AdvertisedPort = sip.AdvertisedPort,
                },
                Validation = SipValidationOptions.Default with { ForwardsRequests = true },
                UserAgent = "Trunk.Signaling",
            },
            time,
            loggers);
        AdvertisedHost = SipUri.Parse($"sip:{Stack.Transport.SentBy(SipTransportProtocol.Udp)}").Host;
    }

    public SipStack Stack { get; }

    /// <summary>The host peers reach us at (<c>Sip:AdvertisedAddress</c>, else the listen address; never 0.0.0.0).</summary>
    public string AdvertisedHost { get; }

    /// <summary>Our Contact for a transport, with the advertised address and port (RFC 3261 §8.1.1.8).</summary>
    public SipUri Contact(SipTransportProtocol protocol) => Stack.ContactUri(protocol);

    public void Received(Call? call, LegSide leg, SipMessage message, SipPeer peer) =>
        _tracer.Record(call, leg, SipDirection.Received, message, peer.Protocol, peer.Local, peer.Remote);

    /// <summary>Answers a request; for dialog-forming answers the Contact is ours as advertised.</summary>
    public bool Respond(Call? call, LegSide leg, IncomingRequest request, SipResponse response)
    {
        if (response.Headers.Contains(SipHeaderNames.Contact))
        {
            response = response.WithHeaders(response.Headers.Set(SipHeaderNames.Contact, $"<{Contact(request.Peer.Protocol)}>"));
        }

        _tracer.Record(call, leg, SipDirection.Sent, response, request.Peer.Protocol, request.Peer.Local, request.Peer.Remote);
        _telemetry.Responded(request, response);
        return request.Respond(response);
    }

    public bool Respond(Call? call, LegSide leg, IncomingRequest request, int code, string? reason = null, ReadOnlyMemory<byte> body = default,
        string? contentType = null, params SipHeader[] headers)
    {
        var response = request.CreateResponse(code, reason, body, contentType);
        foreach (var header in headers)
        {
            response = response.WithHeaders(response.Headers.Add(header.Name, header.Value));
        }

        return Respond(call, leg, request, response);
    }

    /// <summary>Sends a request in a client transaction; the request as it went out (our Via included) and every response are traced.</summary>
    public async Task<SipResponse> SendAsync(Call? call, LegSide leg, SipRequest request, SipDestination destination,
        Action<SipResponse>? onProvisional = null)
    {
        var local = LocalEndPoint(destination.Protocol);
        using var sent = _telemetry.StartClient(call, leg, request);
        var response = await Stack.SendAsync(
            request,
            destination,
            provisional =>
            {
                _tracer.Record(call, leg, SipDirection.Received, provisional, destination.Protocol, local, destination.EndPoint);
                sent.Provisional(provisional);
                onProvisional?.Invoke(provisional);
            },
            sending => _tracer.Record(call, leg, SipDirection.Sent, sending, destination.Protocol, local, destination.EndPoint)).ConfigureAwait(false);
        _tracer.Record(call, leg, SipDirection.Received, response, destination.Protocol, local, destination.EndPoint);
        sent.Final(response);
        return response;
    }

    public async Task SendAckAsync(Call? call, LegSide leg, SipRequest ack, SipDestination destination)
    {
        await Stack.SendAckAsync(ack, destination, sending =>
            _tracer.Record(call, leg, SipDirection.Sent, sending, destination.Protocol, LocalEndPoint(destination.Protocol), destination.EndPoint))
            .ConfigureAwait(false);
    }

    /// <summary>CANCELs an INVITE (§9.1); <paramref name="sentInvite"/> carries the Via it went out with, taken from a provisional response.</summary>
    public Task<SipResponse> CancelAsync(Call? call, LegSide leg, SipRequest sentInvite, SipDestination destination)
    {
        var cancel = ClientRequests.Cancel(sentInvite);
        _tracer.Record(call, leg, SipDirection.Sent, cancel, destination.Protocol, LocalEndPoint(destination.Protocol), destination.EndPoint);
        return Stack.CancelAsync(sentInvite, destination);
    }

    private IPEndPoint LocalEndPoint(SipTransportProtocol protocol) =>
        (protocol == SipTransportProtocol.Tcp ? Stack.Transport.TcpEndPoints : Stack.Transport.UdpEndPoints).FirstOrDefault()
        ?? new IPEndPoint(IPAddress.Any, 0);

    public ValueTask DisposeAsync() => Stack.DisposeAsync();
}
