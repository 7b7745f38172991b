using System.Net;

namespace Trunk.Sip.Sdp;

/// <summary>
/// Points streams at a media anchor: new connection address and ports, everything else (codecs,
/// attributes, order, <c>o=</c>) kept. The caller versions the result for its own leg with
/// <see cref="SdpVersioning.Follow"/>.
/// </summary>
public static class SdpRewriter
{
    /// <summary>
    /// Moves the streams with a port in <paramref name="ports"/> (one entry per <c>m=</c> line, null to
    /// leave that stream alone) to <paramref name="address"/>. Refused streams keep port 0, and a
    /// 0.0.0.0 address is kept so that a hold stays visible (RFC 3264 §8.4). <c>a=rtcp</c> moves to
    /// the new port + 1 (RFC 3605), the anchor's RTCP port.
    /// </summary>
    public static SdpSessionDescription Rewrite(SdpSessionDescription sdp, IPAddress address, IReadOnlyList<int?> ports)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count != sdp.Media.Count)
        {
            throw new ArgumentException($"Expected {sdp.Media.Count} ports, one per m= line, got {ports.Count}.", nameof(ports));
        }

        var anchor = SdpConnection.For(address);
        var sessionConnection = Move(sdp.Connection, anchor);
        var media = new List<SdpMediaDescription>(sdp.Media.Count);
        for (var index = 0; index < sdp.Media.Count; index++)
        {
            var stream = sdp.Media[index];
            if (ports[index] is { } port && !stream.IsRejected)
            {
                media.Add(MoveStream(stream, anchor, port));
            }
            else if (stream.Connections.Count == 0 && sdp.Connection is { } original && sessionConnection != original)
            {
                // The session-level address changes under this stream: pin it to the address it had.
                media.Add(stream with { Connections = [original] });
            }
            else
            {
                media.Add(stream);
            }
        }

        return sdp with { Connection = sessionConnection, Media = media };
    }

    /// <summary>Moves the first active audio stream to <paramref name="address"/>:<paramref name="port"/>; other streams are left alone.</summary>
    public static SdpSessionDescription RewriteAudio(SdpSessionDescription sdp, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var audio = sdp.FirstActiveAudio;
        var ports = sdp.Media.Select(m => ReferenceEquals(m, audio) ? port : (int?)null).ToList();
        return Rewrite(sdp, address, ports);
    }

    private static SdpMediaDescription MoveStream(SdpMediaDescription stream, SdpConnection anchor, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var attributes = stream.Attributes
            .Select(a => a.Name == SdpRtcp.AttributeName && stream.Rtcp is { } rtcp
                ? new SdpRtcp(port + 1, rtcp.Connection is null ? null : Move(rtcp.Connection, anchor)).ToAttribute()
                : a)
            .ToList();
        return stream with
        {
            Port = port,
            Connections = [.. stream.Connections.Select(c => Move(c, anchor)!)],
            Attributes = attributes,
        };
    }

    private static SdpConnection? Move(SdpConnection? connection, SdpConnection anchor) =>
        connection is null || connection.IsNullAddress ? connection : anchor;
}
