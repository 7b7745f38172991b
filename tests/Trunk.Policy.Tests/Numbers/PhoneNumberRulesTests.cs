using Trunk.Numbering;

namespace Trunk.Policy.Tests.Numbers;

/// <summary>E.164 validity, country and premium classification through libphonenumber and the documented prefix list.</summary>
public sealed class PhoneNumberRulesTests
{
    [Theory]
    [InlineData("+14155550100", "US")]
    [InlineData("+442079460000", "GB")]
    [InlineData("+33142685300", "FR")]
    [InlineData("+4930901820", "DE")]
    [InlineData("+16135550123", "CA")]
    public void When_the_number_is_valid_E164_Should_give_its_country(string number, string country)
    {
        var parsed = PhoneNumberRules.TryParse(number, out _);

        Assert.NotNull(parsed);
        Assert.Equal(country, parsed.CountryCode);
        Assert.Equal(number, parsed.E164);
        Assert.False(parsed.Premium);
    }

    [Theory]
    [InlineData("14155550100")]
    [InlineData("+1415555010012345")]
    [InlineData("+1415abc0100")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("+1415555")]
    [InlineData("+99912345678")]
    public void When_the_number_is_not_valid_E164_Should_say_why(string number)
    {
        Assert.Null(PhoneNumberRules.TryParse(number, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("+19005550123")]
    [InlineData("+449098790000")]
    [InlineData("+448712345678")]
    [InlineData("+881612345678")]
    public void When_the_number_is_premium_or_high_cost_Should_mark_it_premium(string number)
    {
        var parsed = PhoneNumberRules.TryParse(number, out var error);

        Assert.True(parsed is not null, error);
        Assert.True(parsed.Premium);
        Assert.NotNull(parsed.PremiumReason);
    }

    [Fact]
    public void When_listing_premium_prefixes_Should_keep_each_with_a_reason()
    {
        Assert.All(PremiumPrefixes.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(PremiumPrefixes.All.Count, PremiumPrefixes.All.Select(p => p.Digits).Distinct().Count());
    }
}
