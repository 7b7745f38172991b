using System.Globalization;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Signaling.Tests.Support;
using Trunk.Testing.Sip;
using static Trunk.Testing.Sip.TransferScenarios;

namespace Trunk.Signaling.Tests;

/// <summary>
/// ARCHITECTURE.md's REFER table, one test per row: the endpoint (SIPp) answers the call and REFERs it; the caller
/// (SIPp) hangs up afterwards. The 481 row is in <see cref="OutOfDialogTests"/>; IPv6 literals in Transfers/ReferCheckTests
/// (SIPp reads [..] in a scenario as a keyword).
/// </summary>
[Collection(SignalingCollection.Name)]
public sealed class ReferTests(SignalingFixture fixture)
{
    private const string Target = "sip:+4930111222@" + TrunkWorld.Domain;
    private readonly TrunkWorld _world = fixture.World;

    [Theory]
    [InlineData("no Refer-To", "Referred-By: <sip:pbx@192.0.2.1>")]
    [InlineData("two Refer-To", "Refer-To: <" + Target + ">", "Refer-To: <sip:+4930111333@" + TrunkWorld.Domain + ">")]
    [InlineData("unparsable", "Refer-To: <sip:+4930111222@>")]
    [InlineData("not SIP", "Refer-To: <tel:+4930111222>")]
    [InlineData("user not E.164", "Refer-To: <sip:alice@" + TrunkWorld.Domain + ">")]
    [InlineData("too many digits", "Refer-To: <sip:+49301112223334445@" + TrunkWorld.Domain + ">")]
    public async Task When_the_Refer_To_is_missing_doubled_unparsable_not_SIP_or_not_E164_Should_answer_400(string why, params string[] headers)
    {
        var call = await ReferAsync(TransferScript.Accept, Values(("REFER_HEADERS", Headers(headers)), ("REFER_CODE", "400")));

        // Several Refer-To never reach Signaling: the stack's §8.2 checks answer 400 first. The others are ours.
        await call.WaitForAsync<Contracts.Calls.CallEnded>();
        Assert.All(call.All<ReferRejected>(), r => Assert.True(r.SipCode == 400, why));
        Assert.Empty(call.All<ReferReceived>());
    }

    [Theory]
    [InlineData("Refer-To: <sip:+4930111222@other.trunk.example>")]
    [InlineData("Refer-To: <sip:+4930111222@8.8.8.8>")]
    public async Task When_the_Refer_To_host_is_not_the_trunks_domain_Should_answer_403(string referTo)
    {
        var call = await ReferAsync(TransferScript.Accept, Values(("REFER_HEADERS", Headers(referTo)), ("REFER_CODE", "403")));

        Assert.Equal(403, (await call.WaitForAsync<ReferRejected>()).SipCode);
    }

    [Theory]
    [InlineData("Refer-To: <sip:+4930111222@127.0.0.1>")]
    [InlineData("Refer-To: <sip:+4930111222@10.1.2.3>")]
    [InlineData("Refer-To: <sip:+4930111222@192.168.1.10>")]
    [InlineData("Refer-To: <sip:+4930111222@169.254.1.1>")]
    [InlineData("Refer-To: <sip:+4930111222@100.64.0.1>")]
    public async Task When_the_target_resolves_to_a_private_loopback_or_link_local_address_Should_answer_403(string referTo)
    {
        var call = await ReferAsync(TransferScript.Accept, Values(("REFER_HEADERS", Headers(referTo)), ("REFER_CODE", "403")));

        Assert.Contains("private", (await call.WaitForAsync<ReferRejected>()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_trunks_domain_is_a_name_that_resolves_to_loopback_Should_answer_403()
    {
        var call = await ReferAsync(TransferScript.Accept, Values(("REFER_HEADERS", Headers("Refer-To: <sip:+4930111222@localhost>")), ("REFER_CODE", "403")),
            domain: "localhost");

        Assert.Contains("private", (await call.WaitForAsync<ReferRejected>()).Reason, StringComparison.Ordinal);
        Assert.Empty(call.All<ReferReceived>());
    }

    [Fact]
    public async Task When_Policy_denies_the_country_Should_answer_the_sagas_403()
    {
        var call = await ReferAsync(TransferScript.Deny, Values(("REFER_HEADERS", Headers($"Refer-To: <{Target}>")), ("REFER_CODE", "403")));

        var received = await call.WaitForAsync<ReferReceived>();
        Assert.Equal("+4930111222", received.TargetNumber);
        Assert.Equal(TrunkWorld.Domain, received.ReferToHost);
        Assert.Empty(call.All<ReferRejected>());
        Assert.Empty(call.All<ReserveFunds>());
    }

    [Fact]
    public async Task When_the_accounts_rules_allow_the_target_Should_answer_202_from_them_without_the_sagas_decision()
    {
        // The saga double would answer 403 if it were asked: the 202 can only be Signaling's own, from the pushed rules.
        var call = await ReferAsync(TransferScript.Deny, Values(("REFER_HEADERS", Headers($"Refer-To: <{Target}>")), ("REFER_CODE", "202"),
            ("AFTER_REFER", ActiveNotifies("SIP/2.0 100 Trying"))), rules: TrunkWorld.GermanRules);

        var received = await call.WaitForAsync<ReferReceived>();
        Assert.Equal(new ReferDecision(202, "Accepted", TimeSpan.FromSeconds(10), FundsRequested: true), received.Decision);
        Assert.Empty(call.All<ReferRejected>());
        var reserve = await call.WaitForAsync<ReserveFunds>();
        Assert.Equal((received.TransferId, received.AccountId, "+4930111222", 10), (reserve.TransferId, reserve.AccountId, reserve.TargetNumber, reserve.Minutes));
    }

    [Fact]
    public async Task When_the_accounts_rules_have_no_geo_permission_for_the_country_Should_answer_403_from_them()
    {
        // The saga double would answer 202: the 403 is the rules'.
        var call = await ReferAsync(TransferScript.Accept, Values(("REFER_HEADERS", Headers($"Refer-To: <sip:+442079460000@{TrunkWorld.Domain}>")),
            ("REFER_CODE", "403")), rules: TrunkWorld.GermanRules);

        var decision = (await call.WaitForAsync<ReferReceived>()).Decision;
        Assert.Equal(403, decision?.SipCode);
        Assert.Equal("no geo permission for GB", decision?.Reason);
    }

    [Fact]
    public async Task When_a_transfer_is_already_in_progress_Should_answer_491()
    {
        var again = Scenario.Fragment("refer_again_fragment.xml", new Dictionary<string, string>
        {
            ["REFER_CSEQ2"] = "8",
            ["REFER_TO"] = $"<{Target}>",
            ["REFER_CODE2"] = "491",
        });
        var call = await ReferAsync(TransferScript.AcceptWithoutDialling, Values(("REFER_HEADERS", Headers($"Refer-To: <{Target}>")), ("REFER_CODE", "202"),
            ("AFTER_REFER", Notifies("SIP/2.0 100 Trying").Replace("terminated;reason=noresource", "active", StringComparison.Ordinal) + again)));

        Assert.Equal(491, (await call.WaitForAsync<ReferRejected>()).SipCode);
    }

    [Fact]
    public async Task When_no_decision_comes_in_time_Should_answer_503_with_Retry_After_and_keep_the_call()
    {
        var call = await ReferAsync(TransferScript.Silent, Values(("REFER_HEADERS", Headers($"Refer-To: {Target}")), ("REFER_CODE", "503"),
            ("REFER_RESPONSE_REGEX", "Retry-After: *[1-9]")),
            holdMs: (int)TimeSpan.Parse(SignalingFixture.DecisionTimeout, CultureInfo.InvariantCulture).TotalMilliseconds + 1500);

        Assert.Equal(503, (await call.WaitForAsync<ReferRejected>()).SipCode);
        Assert.Equal("caller_hangup", (await call.WaitForAsync<Contracts.Calls.CallEnded>()).HangupCause);
    }

    /// <summary>Caller and endpoint run the call; the endpoint REFERs as <paramref name="endpointValues"/> say; the caller hangs up after <paramref name="holdMs"/>.</summary>
    /// <param name="rules">The account's transfer rules Policy answers with; none: Policy knows none and the saga decides.</param>
    private async Task<CallLog> ReferAsync(TransferScript script, Dictionary<string, string> endpointValues, int holdMs = 1500,
        string domain = TrunkWorld.Domain, Func<Guid, Contracts.Policy.AccountTransferRules>? rules = null)
    {
        var did = TrunkWorld.NewDid();
        await using var endpoint = Sipp.Server(Scenario.Write("uas_refers.xml", endpointValues));
        _world.AddTrunk(did, [endpoint.Uri], script: script, domain: domain, rules: rules);

        await using var caller = Sipp.Client(Scenario.Write("caller_hangs_up.xml", Values(("HOLD_MS", holdMs.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            fixture.SipPort, did);

        await caller.AssertPassedAsync("caller", fixture.Diagnostics);
        await endpoint.AssertPassedAsync("endpoint", fixture.Diagnostics);
        return await _world.WaitForCallAsync(did);
    }
}
