using Trunk.Contracts.Policy;
using Trunk.Policy.Rates;

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
    /// <summary>The rules Signaling and Policy decide a transfer by (<see cref="Numbering.TransferPermissions"/>), with the rated prefixes given.</summary>
    public AccountTransferRules TransferRules(IEnumerable<Rate> rates) =>
        new(Id, HomeCountry, AllowedCountries, PremiumAllowed, [.. rates.Select(r => new RatedPrefix(r.Id, r.PricePerMinute))]);
}
