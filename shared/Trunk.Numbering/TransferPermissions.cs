using Trunk.Contracts.Policy;

namespace Trunk.Numbering;

/// <summary>The verdict on a transfer's target: allowed with the target and its price per minute, or denied with a SIP code and why.</summary>
public sealed record TransferVerdict(bool Allowed, int SipCode, string Reason, TargetNumber? Target, decimal PricePerMinute)
{
    public static TransferVerdict Deny(int sipCode, string reason, TargetNumber? target = null) => new(false, sipCode, reason, target, 0m);
}

/// <summary>
/// Whether an account's rules allow a transfer to a target, checked in the order of ARCHITECTURE.md's REFER table: the
/// number itself, premium prefixes, the country's geo permission, then a rate. Policy decides with it from its own
/// data and Signaling from the copy Policy pushed, so that both always give the same answer.
/// </summary>
public static class TransferPermissions
{
    public const int Forbidden = 403;
    public const int BadRequest = 400;

    public static TransferVerdict Decide(AccountTransferRules rules, string targetNumber)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var target = PhoneNumberRules.TryParse(targetNumber, out var error);
        if (target is null)
        {
            return TransferVerdict.Deny(BadRequest, $"target {error}");
        }

        if (target.Premium && !rules.PremiumAllowed)
        {
            return TransferVerdict.Deny(Forbidden, $"premium destination not enabled ({target.PremiumReason})", target);
        }

        if (!MayCall(rules, target.CountryCode))
        {
            return TransferVerdict.Deny(Forbidden, $"no geo permission for {target.CountryCode}", target);
        }

        var rate = LongestMatch(rules.Rates, target.Digits);
        return rate is null
            ? TransferVerdict.Deny(Forbidden, $"no rate for +{target.Digits}", target)
            : new TransferVerdict(true, 202, "allowed", target, rate.PricePerMinute);
    }

    /// <summary>The home country always; other countries when listed.</summary>
    public static bool MayCall(AccountTransferRules rules, string country)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return string.Equals(country, rules.HomeCountry, StringComparison.Ordinal)
            || rules.AllowedCountries.Contains(country, StringComparer.Ordinal);
    }

    private static RatedPrefix? LongestMatch(IReadOnlyList<RatedPrefix> rates, string digits)
    {
        RatedPrefix? best = null;
        foreach (var rate in rates)
        {
            if (digits.StartsWith(rate.Prefix, StringComparison.Ordinal) && (best is null || rate.Prefix.Length > best.Prefix.Length))
            {
                best = rate;
            }
        }

        return best;
    }
}
