using System.Net;

namespace Trunk.Sip.Transport;

/// <summary>Where to listen and the limits that protect the stack (issue 3, transport).</summary>
public sealed record SipTransportOptions
{
    /// <summary>UDP listen points; port 0 picks a free port.</summary>
    public IReadOnlyList<IPEndPoint> Udp { get; init; } = [];

    /// <summary>TCP listen points; port 0 picks a free port.</summary>
    public IReadOnlyList<IPEndPoint> Tcp { get; init; } = [];

    /// <summary>Largest message accepted or sent: 64 KiB.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>Frames queued per source address before further ones are dropped.</summary>
    public int PerSourceQueueCapacity { get; init; } = 4096;

    /// <summary>TCP connections idle longer than this are closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>At most this many TCP connections at once (accepted and opened).</summary>
    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>Socket buffer size for UDP (large, so that bursts are not lost in the kernel).</summary>
    public int UdpSocketBufferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// The host peers reach us at, put in our Via sent-by and Contact (§18.1.1, §8.1.1.8): a NAT's public address or a
    /// name. Null uses the listen address, or a local interface's address when listening on every interface (0.0.0.0, ::).
    /// </summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>The port peers reach us at when a NAT maps ours to another; null uses the listen port.</summary>
    public int? AdvertisedPort { get; init; }

    /// <summary>Workers that parse and dispatch received frames.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public void Validate()
    {
        if (Udp.Count + Tcp.Count == 0)
        {
            throw new ArgumentException("SipTransportOptions.Udp or SipTransportOptions.Tcp must name at least one listen point.");
        }

        if (MaxMessageSize is < 1024 or > 65535 + 1)
        {
            throw new ArgumentException("SipTransportOptions.MaxMessageSize must be between 1 KiB and 64 KiB.");
        }

        if (PerSourceQueueCapacity < 1 || MaxTcpConnections < 1 || Workers < 1)
        {
            throw new ArgumentException("SipTransportOptions.PerSourceQueueCapacity, MaxTcpConnections and Workers must be positive.");
        }

        if (AdvertisedPort is < 1 or > 65535)
        {
            throw new ArgumentException("SipTransportOptions.AdvertisedPort must be between 1 and 65535.");
        }

        if (AdvertisedHost is not null && Uri.CheckHostName(AdvertisedHost.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            throw new ArgumentException("SipTransportOptions.AdvertisedHost must be a host name or an IP address.");
        }
    }
}
