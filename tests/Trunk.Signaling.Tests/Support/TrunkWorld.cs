using System.Collections.Concurrent;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Tests.Support;

/// <summary>What Policy and the Transfer saga know in a test run: trunks by DID, transfer scripts, and each call's events.</summary>
internal sealed class TrunkWorld
{
    private readonly ConcurrentDictionary<string, TrunkSettings> _trunks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TransferScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, CallLog> _calls = new();
    private readonly ConcurrentDictionary<Guid, AccountTransferRules> _rules = new();

    public const string Domain = "acme.trunk.example";

    /// <summary>German numbers and British ones rated; only the home country, Germany, allowed.</summary>
    public static AccountTransferRules GermanRules(Guid accountId) =>
        new(accountId, "DE", [], PremiumAllowed: false, [new RatedPrefix("49", 0.01m), new RatedPrefix("44", 0.02m)]);

    /// <summary>A fresh DID per test so that tests sharing the host never see each other's calls.</summary>
    public static string NewDid() => "+4930" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public TrunkSettings AddTrunk(string did, IReadOnlyList<string> terminationUris, string carrierGateway = "sip:127.0.0.1:9",
        TimeSpan? ringTimeout = null, int callsPerSecond = 100, TransferScript? script = null, string domain = Domain,
        MediaMode media = MediaMode.Passthrough, Func<Guid, AccountTransferRules>? rules = null)
    {
        var trunk = new TrunkSettings(Guid.NewGuid(), Guid.NewGuid(), domain, [did], terminationUris, carrierGateway,
            ringTimeout ?? TimeSpan.FromSeconds(10), media, callsPerSecond, true);
        if (rules is not null)
        {
            _rules[trunk.AccountId] = rules(trunk.AccountId);
        }

        _trunks[did] = trunk;
        _scripts[did] = script ?? TransferScript.Accept;
        return trunk;
    }

    public TrunkSettings? Trunk(string did) => _trunks.GetValueOrDefault(did);

    /// <summary>The account's transfer rules when the test gave Policy some; else Policy knows none and REFERs go to the saga.</summary>
    public AccountTransferRules? Rules(Guid accountId) => _rules.GetValueOrDefault(accountId);

    public TransferScript Script(Guid callId) =>
        _calls.TryGetValue(callId, out var log) ? _scripts.GetValueOrDefault(log.Received.Did, TransferScript.Silent) : TransferScript.Silent;

    public void Received(CallReceived received) => _calls.TryAdd(received.CallId, new CallLog(received));

    public CallLog? Log(Guid callId) => _calls.GetValueOrDefault(callId);

    public IReadOnlyList<CallLog> CallsTo(string did) => [.. _calls.Values.Where(c => c.Received.Did == did)];

    public async Task<CallLog> WaitForCallAsync(string did, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (CallsTo(did).FirstOrDefault() is { } log)
            {
                return log;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No CallReceived for DID {did}");
    }
}
