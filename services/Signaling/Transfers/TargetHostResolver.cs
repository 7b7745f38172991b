using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Networking;
using Trunk.Signaling.Settings;

namespace Trunk.Signaling.Transfers;

/// <summary>
/// Whether a Refer-To host name resolves to a private, loopback or link-local address (ARCHITECTURE.md, REFER table:
/// 403). DNS answers are cached for <see cref="CacheLifetime"/>; a lookup is bounded by <c>Transfer:TargetResolveTimeout</c>.
/// A name that does not resolve, or not in time, leads nowhere inside and passes (the target is dialled through the
/// carrier gateway, never at this host); a timeout is logged and not cached.
/// </summary>
internal sealed partial class TargetHostResolver(IOptions<TransferSettings> settings, TimeProvider time, ILogger<TargetHostResolver> logger)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (bool Inside, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="host"/> is a name with at least one private, loopback or link-local address.</summary>
    public async Task<bool> ResolvesInsideAsync(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return InternalAddresses.Contains(literal);
        }

        if (SpecialUse(host) is { } special)
        {
            return special;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(host, out var cached) && cached.Until > now)
        {
            return cached.Inside;
        }

        bool inside;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host).WaitAsync(settings.Value.TargetResolveTimeout, time).ConfigureAwait(false);
            inside = addresses.Any(InternalAddresses.Contains);
        }
        catch (SocketException)
        {
            inside = false;
        }
        catch (TimeoutException)
        {
            LogResolveTimeout(host, settings.Value.TargetResolveTimeout);
            return false;
        }

        _cache[host] = (inside, now + CacheLifetime);
        return inside;
    }

    /// <summary>
    /// RFC 6761: names under <c>.localhost</c> are loopback (§6.3; <c>localhost</c> itself the system resolves); <c>.invalid</c> names never resolve (§6.4); <c>.example</c>
    /// and <c>.test</c> are reserved (RFC 2606) and never delegated, so no lookup can find them. Null: ask DNS.
    /// </summary>
    private static bool? SpecialUse(string host)
    {
        var name = host.TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return name.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".example", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".test", StringComparison.OrdinalIgnoreCase)
            ? false
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refer-To host {Host} did not resolve within {Timeout}; treated as outside")]
    private partial void LogResolveTimeout(string host, TimeSpan timeout);
}
