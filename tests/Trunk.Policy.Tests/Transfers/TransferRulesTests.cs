using Trunk.Contracts.Policy;
using Trunk.Numbering;
using Trunk.Policy.Accounts;
using Trunk.Policy.Rates;
using Trunk.Policy.Transfers;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Tests.Transfers;

/// <summary>The permission matrix: domestic, allowed and denied international, premium, invalid numbers, wrong Refer-To host.</summary>
public sealed class TransferRulesTests
{
    private static readonly Account UsAccount = new(Guid.NewGuid(), "Acme", "US", "USD", null, ["GB"], PremiumAllowed: false);

    private static readonly InboundTrunk Trunk = new(
        Guid.NewGuid(), UsAccount.Id, "acme.trunk.example", ["+14155550100"], ["sip:endpoint@127.0.0.1:5070"], "sip:127.0.0.1:5080",
        TimeSpan.FromSeconds(30), MediaMode.Anchored, 10, true);

    private static readonly Rate[] Rates =
    [
        new("1", 0.01m, null), new("1900", 2.00m, null), new("44", 0.02m, null), new("4420", 0.015m, null),
        new("33", 0.025m, null), new("881", 5m, null), new("449", 1.5m, null),
    ];

    private static TransferVerdict Decide(string target, Account? account = null, string host = "acme.trunk.example") =>
        TransferRules.Decide(account ?? UsAccount, Trunk, target, host, Rates);

    [Theory]
    [InlineData("+14155550123", "US", "0.01")]
    [InlineData("+442079460000", "GB", "0.015")]
    [InlineData("+447400123456", "GB", "0.02")]
    public void When_the_target_is_home_or_an_allowed_country_Should_allow_at_the_longest_prefix_rate(string target, string country, string price)
    {
        var verdict = Decide(target);

        Assert.True(verdict.Allowed, verdict.Reason);
        Assert.Equal(country, verdict.Target!.CountryCode);
        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), verdict.PricePerMinute);
    }

    [Fact]
    public void When_the_home_country_is_not_in_the_allowed_list_Should_still_allow_it()
    {
        Assert.True(Decide("+14155550123", UsAccount with { AllowedCountries = [] }).Allowed);
    }

    [Fact]
    public void When_the_target_shares_the_country_code_but_is_another_country_Should_need_its_own_permission()
    {
        var denied = Decide("+16135550123");
        var allowed = Decide("+16135550123", UsAccount with { AllowedCountries = ["CA"] });

        Assert.Equal(403, denied.SipCode);
        Assert.Contains("CA", denied.Reason, StringComparison.Ordinal);
        Assert.True(allowed.Allowed, allowed.Reason);
    }

    [Fact]
    public void When_the_target_country_has_no_geo_permission_Should_deny_403_naming_the_country()
    {
        var verdict = Decide("+33142685300");

        Assert.False(verdict.Allowed);
        Assert.Equal(403, verdict.SipCode);
        Assert.Contains("FR", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+19005550123")]
    [InlineData("+449098790000")]
    [InlineData("+881612345678")]
    public void When_the_target_is_premium_and_premium_is_not_enabled_Should_deny_403(string target)
    {
        var verdict = Decide(target, UsAccount with { AllowedCountries = ["GB", "001"] });

        Assert.False(verdict.Allowed);
        Assert.Equal(403, verdict.SipCode);
        Assert.Contains("premium", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_premium_is_enabled_Should_allow_a_premium_number_at_its_own_rate()
    {
        var verdict = Decide("+19005550123", UsAccount with { PremiumAllowed = true });

        Assert.True(verdict.Allowed, verdict.Reason);
        Assert.Equal(2.00m, verdict.PricePerMinute);
    }

    [Theory]
    [InlineData("14155550123")]
    [InlineData("+1415555")]
    [InlineData("+99912345678")]
    [InlineData("+1415555012345678")]
    public void When_the_target_is_not_a_valid_E164_number_Should_deny_400(string target)
    {
        var verdict = Decide(target);

        Assert.False(verdict.Allowed);
        Assert.Equal(400, verdict.SipCode);
    }

    [Theory]
    [InlineData("other.trunk.example")]
    [InlineData("127.0.0.1")]
    [InlineData("")]
    public void When_the_Refer_To_host_is_not_the_trunk_domain_Should_deny_403(string host)
    {
        var verdict = Decide("+14155550123", host: host);

        Assert.False(verdict.Allowed);
        Assert.Equal(403, verdict.SipCode);
        Assert.Contains("domain", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_Refer_To_host_differs_only_in_case_Should_allow()
    {
        Assert.True(Decide("+14155550123", host: "ACME.Trunk.Example").Allowed);
    }

    [Fact]
    public void When_the_trunk_belongs_to_another_account_Should_deny_403()
    {
        var verdict = TransferRules.Decide(UsAccount with { Id = Guid.NewGuid() }, Trunk, "+14155550123", "acme.trunk.example", Rates);

        Assert.False(verdict.Allowed);
        Assert.Equal(403, verdict.SipCode);
    }

    [Fact]
    public void When_no_rate_matches_Should_deny_403()
    {
        var verdict = TransferRules.Decide(UsAccount with { AllowedCountries = ["DE"] }, Trunk, "+4930901820", "acme.trunk.example", Rates);

        Assert.False(verdict.Allowed);
        Assert.Contains("no rate", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_several_prefixes_match_Should_pick_the_longest()
    {
        Assert.Equal("4420", RateBook.LongestMatch(Rates, "442079460000")!.Id);
        Assert.Equal("44", RateBook.LongestMatch(Rates, "447400123456")!.Id);
        Assert.Null(RateBook.LongestMatch(Rates, "4930901820"));
    }
}
