using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Trunk.Contracts.Policy;
using Trunk.Signaling.Rules;
using Trunk.Signaling.Settings;
using Trunk.Signaling.Tests.Support;

namespace Trunk.Signaling.Tests.Transfers;

/// <summary>Signaling's copy of each account's transfer rules: asked of Policy (the double, on the real bus), replaced by pushes, never by older news, and dropped when stale.</summary>
[Collection(SignalingCollection.Name)]
public sealed class TransferRulesDirectoryTests(SignalingFixture fixture)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private TransferRulesDirectory NewDirectory() => new(
        fixture.Bus,
        Options.Create(new TransferSettings { RulesLifetime = Lifetime, RulesLookupAddress = SignalingFixture.PolicyAddress.ToString() }),
        _time,
        NullLogger<TransferRulesDirectory>.Instance);

    [Fact]
    public async Task When_a_REFER_comes_while_the_accounts_rules_are_asked_for_Should_decide_with_Policys_answer()
    {
        var trunk = fixture.World.AddTrunk(TrunkWorld.NewDid(), ["sip:127.0.0.1:9"], rules: TrunkWorld.GermanRules);
        var directory = NewDirectory();

        directory.Refresh(Guid.NewGuid(), trunk.AccountId);
        var rules = await directory.FindAsync(trunk.AccountId);

        Assert.Equal("DE", rules?.HomeCountry);
        Assert.Same(rules, directory.Find(trunk.AccountId));
    }

    [Fact]
    public async Task When_Policy_knows_no_such_account_Should_hold_no_rules()
    {
        var directory = NewDirectory();
        var accountId = Guid.NewGuid();

        directory.Refresh(Guid.NewGuid(), accountId);

        Assert.Null(await directory.FindAsync(accountId));
    }

    [Fact]
    public void When_a_push_is_older_than_the_copy_held_Should_keep_the_newer_rules()
    {
        var directory = NewDirectory();
        var accountId = Guid.NewGuid();
        var now = _time.GetUtcNow();

        directory.Apply(new TransferRulesChanged(Guid.Empty, now, TrunkWorld.GermanRules(accountId) with { AllowedCountries = ["GB"] }));
        directory.Apply(new TransferRulesChanged(Guid.Empty, now - TimeSpan.FromSeconds(1), TrunkWorld.GermanRules(accountId)));

        Assert.Equal(["GB"], directory.Find(accountId)?.AllowedCountries);
    }

    [Fact]
    public void When_no_news_came_for_the_rules_lifetime_Should_hold_no_rules()
    {
        var directory = NewDirectory();
        var accountId = Guid.NewGuid();
        directory.Apply(new TransferRulesChanged(Guid.Empty, _time.GetUtcNow(), TrunkWorld.GermanRules(accountId)));

        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        var beforeExpiry = directory.Find(accountId);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotNull(beforeExpiry);
        Assert.Null(directory.Find(accountId));
    }
}
