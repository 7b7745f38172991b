using Trunk.Policy.Accounts;
using Trunk.Policy.Numbers;
using Trunk.Policy.Rates;
using Trunk.Policy.Trunks;

namespace Trunk.Policy.Transfers;

/// <summary>The verdict on a transfer: allowed with the target's country and price, or denied with a SIP code and why.</summary>
public sealed record TransferVerdict(bool Allowed, int SipCode, string Reason, TargetNumber? Target, decimal PricePerMinute)
{
    public static TransferVerdict Deny(int sipCode, string reason, TargetNumber? target = null) => new(false, sipCode, reason, target, 0m);
}

/// <summary>
/// Whether an account may transfer a call on a trunk to a target, in the order ARCHITECTURE.md's REFER table
/// checks: the Refer-To host, the number itself, premium prefixes, the country's geo permission, then a rate.
/// </summary>
public static class TransferRules
{
    public const int Forbidden = 403;
    public const int BadRequest = 400;

    public static TransferVerdict Decide(Account? account, InboundTrunk? trunk, string targetNumber, string referToHost, IReadOnlyList<Rate> rates)
    {
        if (account is null || trunk is null || trunk.AccountId != account.Id)
        {
            return TransferVerdict.Deny(Forbidden, "unknown account or trunk");
        }

        if (!string.Equals(referToHost, trunk.Domain, StringComparison.OrdinalIgnoreCase))
        {
            return TransferVerdict.Deny(Forbidden, $"Refer-To host '{referToHost}' is not the trunk's domain");
        }

        var target = PhoneNumberRules.TryParse(targetNumber, out var error);
        if (target is null)
        {
            return TransferVerdict.Deny(BadRequest, $"target {error}");
        }

        if (target.Premium && !account.PremiumAllowed)
        {
            return TransferVerdict.Deny(Forbidden, $"premium destination not enabled ({target.PremiumReason})", target);
        }

        if (!account.MayCall(target.CountryCode))
        {
            return TransferVerdict.Deny(Forbidden, $"no geo permission for {target.CountryCode}", target);
        }

        var rate = RateBook.LongestMatch(rates, target.Digits);
        return rate is null
            ? TransferVerdict.Deny(Forbidden, $"no rate for +{target.Digits}", target)
            : new TransferVerdict(true, 202, "allowed", target, rate.PricePerMinute);
    }
}
