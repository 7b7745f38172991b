using System.Net;
using System.Net.Sockets;
using Trunk.ServiceDefaults.Networking;

namespace Trunk.Webhooks.Delivery;

/// <summary>
/// The webhook client's connections: a URL is the account's to choose, so unless <c>Webhooks:AllowPrivateNetworks</c>
/// is on, a connection goes only to a public address, never into the operator's networks (the trunk's own APIs, the
/// cloud's metadata service). The address checked is the one connected to, so a name that resolves to a public
/// address when it is saved and to a private one when it is called cannot slip through.
/// </summary>
public static class WebhookConnections
{
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks) => new()
    {
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivateNetworks ? addresses : [.. addresses.Where(a => !InternalAddresses.Contains(a))];
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(
                $"The webhook host {host} resolves only to private, loopback or link-local addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); refused while Webhooks:AllowPrivateNetworks is off.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A webhook URL that leads into private networks: not a failure a later try could mend.</summary>
public sealed class WebhookTargetRefusedException(string message) : IOException(message);
