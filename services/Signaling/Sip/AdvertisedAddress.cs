using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Trunk.Signaling.Settings;

namespace Trunk.Signaling.Sip;

/// <summary>The host peers reach us at: the configured advertised address, else the listen address, else a local IPv4.</summary>
internal static class AdvertisedAddress
{
    public static string Resolve(SipSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.AdvertisedAddress))
        {
            return settings.AdvertisedAddress;
        }

        var listen = IPAddress.Parse(settings.ListenAddress);
        if (!listen.Equals(IPAddress.Any))
        {
            return listen.ToString();
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString()
            ?? IPAddress.Loopback.ToString();
    }
}
