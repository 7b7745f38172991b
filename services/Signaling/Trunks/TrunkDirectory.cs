using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Contracts.Policy;
using Trunk.Signaling.Settings;

namespace Trunk.Signaling.Trunks;

/// <summary>
/// The trunk of each DID, asked of Policy once (<see cref="GetTrunkByDid"/>) and cached; <see cref="TrunkChanged"/>
/// events refresh the cache. A DID no trunk owns is remembered for <see cref="NegativeLifetime"/>. Concurrent INVITEs
/// to a DID not yet cached share one request (a burst of 50 calls/s otherwise sent 50 requests and starved the pool).
/// </summary>
internal sealed partial class TrunkDirectory(
    IBus bus,
    IOptions<SipSettings> settings,
    TimeProvider time,
    ILogger<TrunkDirectory> logger)
{
    /// <summary>To <c>Sip:TrunkLookupAddress</c> when set.</summary>
    private readonly IRequestClient<GetTrunkByDid> _client = PolicyClient.For<GetTrunkByDid>(bus, settings.Value.TrunkLookupAddress);

    public static readonly TimeSpan NegativeLifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TrunkSettings> _byDid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknownUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TrunkLookup>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<TrunkLookup> FindAsync(Guid callId, string did)
    {
        if (_byDid.TryGetValue(did, out var cached))
        {
            return new TrunkLookup(cached, false);
        }

        var lookup = _inFlight.GetOrAdd(did, d => new Lazy<Task<TrunkLookup>>(() => AskPolicyAsync(callId, d)));
        try
        {
            return await lookup.Value.ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<TrunkLookup>>>(did, lookup));
        }
    }

    private async Task<TrunkLookup> AskPolicyAsync(Guid callId, string did)
    {
        if (_byDid.TryGetValue(did, out var cached))
        {
            return new TrunkLookup(cached, false);
        }

        if (_unknownUntil.TryGetValue(did, out var until) && until > time.GetUtcNow())
        {
            return TrunkLookup.NotFound;
        }

        try
        {
            var response = await _client.GetResponse<TrunkFound, TrunkNotFound>(
                new GetTrunkByDid(callId, time.GetUtcNow(), did), timeout: RequestTimeout.After(ms: (int)settings.Value.TrunkLookupTimeout.TotalMilliseconds))
                .ConfigureAwait(false);
            if (response.Is(out Response<TrunkFound>? found))
            {
                Store(found.Message.Trunk);
                return new TrunkLookup(found.Message.Trunk, false);
            }

            _unknownUntil[did] = time.GetUtcNow() + NegativeLifetime;
            return TrunkLookup.NotFound;
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException or MassTransitException)
        {
            LogPolicyUnavailable(exception, callId, did);
            return TrunkLookup.PolicyUnavailable;
        }
    }

    public void Apply(TrunkChanged change)
    {
        foreach (var did in change.ReleasedDids)
        {
            _byDid.TryRemove(did, out _);
        }

        foreach (var did in change.Trunk.Dids)
        {
            _unknownUntil.TryRemove(did, out _);
            if (change.Removed)
            {
                _byDid.TryRemove(did, out _);
            }
            else
            {
                _byDid[did] = change.Trunk;
            }
        }
    }

    private void Store(TrunkSettings trunk)
    {
        foreach (var did in trunk.Dids)
        {
            _byDid[did] = trunk;
            _unknownUntil.TryRemove(did, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: no trunk answer from Policy for DID {Did}")]
    private partial void LogPolicyUnavailable(Exception exception, Guid callId, string did);
}
