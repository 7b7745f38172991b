namespace Trunk.Numbering;

/// <summary>
/// E.164 prefixes (digits after the <c>+</c>) that are premium-rate or high-cost, denied unless the account enables
/// premium destinations. libphonenumber's PREMIUM_RATE and SHARED_COST types are denied as well; this list adds
/// ranges it does not classify as premium but which carriers bill at high cost or which are common toll-fraud targets.
/// </summary>
public static class PremiumPrefixes
{
    public static IReadOnlyList<PremiumPrefix> All { get; } =
    [
        new("1900", "NANP 900 premium-rate services"),
        new("449", "UK 09 premium-rate services"),
        new("4487", "UK 087 revenue-sharing numbers"),
        new("4470", "UK 070 personal numbers (toll-fraud target)"),
        new("3389", "France 089 premium-rate services"),
        new("49900", "Germany 0900 premium-rate services"),
        new("49137", "Germany 0137 mass-calling / televoting"),
        new("870", "Inmarsat satellite"),
        new("881", "Global Mobile Satellite System"),
        new("882", "International networks"),
        new("883", "International networks"),
        new("979", "International premium-rate service"),
    ];

    public static PremiumPrefix? Match(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return All.Where(p => digits.StartsWith(p.Digits, StringComparison.Ordinal))
            .OrderByDescending(p => p.Digits.Length)
            .FirstOrDefault();
    }
}

/// <summary>A premium or high-cost prefix and why it is on the list.</summary>
public sealed record PremiumPrefix(string Digits, string Description);
