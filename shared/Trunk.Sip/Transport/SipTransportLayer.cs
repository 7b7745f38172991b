using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Transport;

/// <summary>
/// The transport layer (RFC 3261 §18): UDP and TCP listen points, a fair per-source receive queue,
/// parsing, Via stamping, the 400-or-drop rule for malformed input, and sending per §18.1.1/§18.2.2.
/// Parsed messages go up through <see cref="ISipMessageSink"/>.
/// </summary>
public sealed class SipTransportLayer : ISipSender, IAsyncDisposable
{
    private readonly SipTransportOptions _options;
    private readonly ILogger _logger;
    private readonly List<UdpChannel> _udp = [];
    private readonly List<TcpChannel> _tcp = [];
    private readonly FairReceiveQueue<ReceivedFrame> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly string? _udpSentBy;
    private readonly string? _tcpSentBy;
    private ISipMessageSink? _sink;

    public SipTransportLayer(SipTransportOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
        _queue = new FairReceiveQueue<ReceivedFrame>(options.PerSourceQueueCapacity);
        foreach (var bind in options.Udp)
        {
            _udp.Add(new UdpChannel(bind, options.UdpSocketBufferSize, Enqueue, Counters, logger));
        }

        foreach (var bind in options.Tcp)
        {
            _tcp.Add(new TcpChannel(bind, options, time, Enqueue, Counters, logger));
        }

        _udpSentBy = SentByOf(_udp.FirstOrDefault()?.LocalEndPoint);
        _tcpSentBy = SentByOf(_tcp.FirstOrDefault()?.LocalEndPoint);
    }

    public TransportCounters Counters { get; } = new();

    /// <summary>Frames dropped because their source's queue was full.</summary>
    public long QueueOverflow => _queue.Dropped;

    public IReadOnlyList<IPEndPoint> UdpEndPoints => [.. _udp.Select(c => c.LocalEndPoint)];

    public IReadOnlyList<IPEndPoint> TcpEndPoints => [.. _tcp.Select(c => c.LocalEndPoint)];

    public int TcpConnections => _tcp.Sum(c => c.ConnectionCount);

    /// <summary>Starts receiving; parsed messages go to <paramref name="sink"/>.</summary>
    public void Start(ISipMessageSink sink)
    {
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        for (var i = 0; i < _options.Workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }

        foreach (var channel in _udp)
        {
            channel.Start();
            _logger.Listening("UDP", channel.LocalEndPoint);
        }

        foreach (var channel in _tcp)
        {
            channel.Start();
            _logger.Listening("TCP", channel.LocalEndPoint);
        }
    }

    /// <summary>Our sent-by for a transport: the advertised host and port where set, else the listen point (§18.1.1).</summary>
    public string? SentBy(SipTransportProtocol protocol) => protocol == SipTransportProtocol.Udp ? _udpSentBy : _tcpSentBy;

    private string? SentByOf(IPEndPoint? listenPoint) =>
        listenPoint is null ? null : $"{AdvertisedHost(listenPoint)}:{_options.AdvertisedPort ?? listenPoint.Port}";

    /// <summary>The host part of our Via and Contact: never 0.0.0.0 or ::, which no peer can send to.</summary>
    private string AdvertisedHost(IPEndPoint listenPoint)
    {
        if (_options.AdvertisedHost is { } advertised)
        {
            return IPAddress.TryParse(advertised, out var literal) ? HostText(literal) : advertised;
        }

        var address = listenPoint.Address;
        return HostText(address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? InterfaceAddress(address.AddressFamily) : address);
    }

    private static string HostText(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>The first address of an interface that is up and not loopback (IPv6: not link-local), else loopback.</summary>
    private static IPAddress InterfaceAddress(AddressFamily family) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == family && !a.IsIPv6LinkLocal)
        ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);

    public async ValueTask SendRequestAsync(SipRequest request, SipDestination destination, CancellationToken cancellationToken = default) =>
        await SendAsync(PrepareRequest(request, destination), cancellationToken).ConfigureAwait(false);

    public SipPacket PrepareRequest(SipRequest request, SipDestination destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SipPacket(Serialize(request), destination, null);
    }

    public SipPacket PrepareResponse(SipResponse response, SipPeer receivedFrom)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new SipPacket(Serialize(response), ResponseRouting.Destination(response.TopVia, receivedFrom), receivedFrom.Local);
    }

    public ValueTask SendAsync(SipPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return SendAsync(packet.Bytes, packet.Destination, packet.Local, cancellationToken);
    }

    private byte[] Serialize(SipMessage message)
    {
        var bytes = message.ToBytes();
        return bytes.Length <= _options.MaxMessageSize
            ? bytes
            : throw new InvalidOperationException($"The message is {bytes.Length} bytes, over the {_options.MaxMessageSize}-byte limit.");
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, SipDestination destination, IPEndPoint? local, CancellationToken cancellationToken)
    {
        try
        {
            if (destination.Protocol == SipTransportProtocol.Udp)
            {
                var channel = _udp.FirstOrDefault(c => c.LocalEndPoint.Equals(local))
                    ?? _udp.FirstOrDefault(c => c.LocalEndPoint.AddressFamily == destination.EndPoint.AddressFamily)
                    ?? throw new InvalidOperationException($"No UDP listen point for {destination}.");
                await channel.SendAsync(bytes, destination.EndPoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var channel = _tcp.FirstOrDefault(c => c.LocalEndPoint.Equals(local))
                    ?? _tcp.FirstOrDefault(c => c.LocalEndPoint.AddressFamily == destination.EndPoint.AddressFamily)
                    ?? throw new InvalidOperationException($"No TCP listen point for {destination}.");
                await channel.SendAsync(bytes, destination.EndPoint, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException)
        {
            Counters.OnSendFailure();
            _logger.SendFailed(exception, destination.Protocol.ToViaToken(), destination.EndPoint);
            throw;
        }
    }

    private void Enqueue(ReceivedFrame frame) => _queue.TryEnqueue(frame.Peer.Remote.Address, frame);

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            IPAddress source;
            ReceivedFrame frame;
            try
            {
                (source, frame) = await _queue.DequeueAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Process(frame);
            }
            finally
            {
                _queue.Complete(source);
            }
        }
    }

    /// <summary>Parses and dispatches one frame; nothing thrown here leaves the receive loop.</summary>
    internal void Process(ReceivedFrame frame)
    {
        try
        {
            if (!SipMessageParser.TryParse(frame.Data, out var message, out var error))
            {
                Reject(frame.Peer, error);
                return;
            }

            if (message is SipRequest request)
            {
                _sink!.OnRequest(ViaStamping.Stamp(request, frame.Peer.Remote), frame.Peer);
            }
            else
            {
                _sink!.OnResponse((SipResponse)message, frame.Peer);
            }
        }
#pragma warning disable CA1031 // The receive loop must survive any failure of a handler above it (issue 3, bad input).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(exception, frame.Peer);
        }
    }

    /// <summary>Issue 3: answer 400 (with the reason) when the request parsed far enough, else drop and count.</summary>
    private void Reject(SipPeer peer, SipParseError error)
    {
        if (error.CreateResponse() is not { } response)
        {
            Counters.OnMalformedDropped();
            _logger.MalformedDropped(peer, error.Reason);
            return;
        }

        Counters.OnMalformedAnswered();
        _logger.MalformedAnswered(peer, error.Reason);
        var via = response.TopVia is { } top ? ResponseRouting.Stamp(top, peer.Remote) : null;
        var destination = ResponseRouting.Destination(via, peer);
        _ = SendQuietlyAsync(Serialize(response), destination, peer.Local);
    }

    /// <summary>A send nobody waits for: the failure is already counted and logged by <see cref="SendAsync"/>.</summary>
    private async Task SendQuietlyAsync(byte[] bytes, SipDestination destination, IPEndPoint local)
    {
        try
        {
            await SendAsync(bytes, destination, local, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException)
        {
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        foreach (var channel in _udp)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var channel in _tcp)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
