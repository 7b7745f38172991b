using PhoneNumbers;

namespace Trunk.Numbering;

/// <summary>A number that passed the E.164 checks: canonical form, ISO country and whether it costs extra.</summary>
public sealed record TargetNumber(string E164, string CountryCode, bool Premium, string? PremiumReason)
{
    /// <summary>The digits after the <c>+</c>.</summary>
    public string Digits => E164[1..];
}

/// <summary>E.164 checks through libphonenumber: <c>+</c>, at most 15 digits, a valid number of a known country.</summary>
public static class PhoneNumberRules
{
    private const int MaxE164Digits = 15;
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Parses <paramref name="number"/>; on failure returns null and says why.</summary>
    public static TargetNumber? TryParse(string? number, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(number) || number[0] != '+' || number.Length < 3
            || number.Length - 1 > MaxE164Digits || !number.AsSpan(1).ContainsOnlyDigits())
        {
            error = "must be E.164: '+' and at most 15 digits";
            return null;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(number, null);
        }
        catch (NumberParseException e)
        {
            error = $"is not a phone number ({e.ErrorType})";
            return null;
        }

        if (!Util.IsValidNumber(parsed))
        {
            error = "is not a valid number for its country";
            return null;
        }

        var e164 = Util.Format(parsed, PhoneNumberFormat.E164);
        var country = Util.GetRegionCodeForNumber(parsed);
        var type = Util.GetNumberType(parsed);
        var listed = PremiumPrefixes.Match(e164[1..]);
        var premiumReason = type switch
        {
            PhoneNumberType.PREMIUM_RATE => "premium-rate number",
            PhoneNumberType.SHARED_COST => "shared-cost number",
            _ => listed?.Description,
        };
        return new TargetNumber(e164, country, premiumReason is not null, premiumReason);
    }

    /// <summary>Whether <paramref name="country"/> is an ISO 3166 region libphonenumber knows (e.g. <c>US</c>).</summary>
    public static bool IsKnownCountry(string? country) =>
        country is { Length: 2 } && Util.GetSupportedRegions().Contains(country);
}

internal static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span) => !span.IsEmpty && !span.ContainsAnyExceptInRange('0', '9');
}
