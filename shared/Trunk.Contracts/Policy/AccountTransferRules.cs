using System;
using System.Collections.Generic;

namespace Trunk.Contracts.Policy;

/// <summary>
/// An account's transfer rules as Policy owns them (geo permissions, premium destinations, the rated prefixes), pushed to
/// Signaling so that it answers a REFER from a fresh copy instead of a round trip through the saga and Policy
/// (ARCHITECTURE.md, the REFER decision). The home country is always allowed.
/// </summary>
public sealed record AccountTransferRules(
    Guid AccountId,
    string HomeCountry,
    IReadOnlyList<string> AllowedCountries,
    bool PremiumAllowed,
    IReadOnlyList<RatedPrefix> Rates);

/// <summary>A prefix of the rate book (E.164 digits without <c>+</c>) and its price per minute.</summary>
public sealed record RatedPrefix(string Prefix, decimal PricePerMinute);
