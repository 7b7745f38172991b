namespace Trunk.Policy.Accounts;

/// <summary>Body of <c>POST /accounts</c> and <c>PUT /accounts/{id}</c>; an id on create is optional.</summary>
public sealed record AccountRequest(Guid? Id, string? Name, string? HomeCountry, string? Currency, string? WebhookUrl);

/// <summary>Body of <c>PUT /accounts/{id}/geo-permissions/premium</c>.</summary>
public sealed record PremiumRequest(bool? Enabled);

/// <summary>An account's geo permissions as the API shows them.</summary>
public sealed record GeoPermissionsView(string HomeCountry, IReadOnlyList<string> AllowedCountries, bool PremiumAllowed);
