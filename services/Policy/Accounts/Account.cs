namespace Trunk.Policy.Accounts;

/// <summary>
/// A customer account. Geo permissions: calls to <see cref="HomeCountry"/> are always allowed, other countries
/// only when listed in <see cref="AllowedCountries"/>, premium and high-cost numbers only when <see cref="PremiumAllowed"/>.
/// </summary>
public sealed record Account(
    Guid Id,
    string Name,
    string HomeCountry,
    string Currency,
    string? WebhookUrl,
    IReadOnlyList<string> AllowedCountries,
    bool PremiumAllowed)
{
    public bool MayCall(string country) =>
        string.Equals(country, HomeCountry, StringComparison.Ordinal) || AllowedCountries.Contains(country, StringComparer.Ordinal);
}
