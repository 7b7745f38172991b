using Marten;
using Trunk.Numbering;
using Trunk.Policy.Api;
using Trunk.Policy.Transfers;

namespace Trunk.Policy.Accounts;

/// <summary>
/// <c>/accounts/{id}/geo-permissions</c>: the home country is always allowed; other countries are allowed one by one;
/// premium and high-cost destinations (see <see cref="PremiumPrefixes"/>) only when enabled.
/// </summary>
public static class GeoPermissionEndpoints
{
    public static IEndpointRouteBuilder MapGeoPermissions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/accounts/{id:guid}/geo-permissions").WithTags("Geo permissions");
        group.MapGet("/", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/countries/{country}", AllowAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/countries/{country}", RevokeAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/premium", SetPremiumAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/premium-prefixes", () => TypedResults.Ok(PremiumPrefixes.All));
        return routes;
    }

    private static GeoPermissionsView View(Account account) =>
        new(account.HomeCountry, account.AllowedCountries, account.PremiumAllowed);

    private static async Task<IResult> GetAsync(Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is { } account
            ? TypedResults.Ok(View(account))
            : FieldErrors.NotFound("account", id);

    private static Task<IResult> AllowAsync(
        Guid id, string country, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken) =>
        ChangeAsync(id, country, session, rules, allow: true, cancellationToken);

    private static Task<IResult> RevokeAsync(
        Guid id, string country, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken) =>
        ChangeAsync(id, country, session, rules, allow: false, cancellationToken);

    private static async Task<IResult> ChangeAsync(
        Guid id, string country, IDocumentSession session, TransferRulesPublisher rules, bool allow, CancellationToken cancellationToken)
    {
        var code = country.ToUpperInvariant();
        if (!PhoneNumberRules.IsKnownCountry(code))
        {
            return FieldErrors.Single("country", "An ISO 3166 country code such as GB is required.");
        }

        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return FieldErrors.NotFound("account", id);
        }

        if (!allow && code == account.HomeCountry)
        {
            return FieldErrors.Single("country", "The home country is always allowed.");
        }

        var others = account.AllowedCountries.Where(c => c != code);
        var updated = account with { AllowedCountries = (allow ? others.Append(code) : others).Order(StringComparer.Ordinal).ToList() };
        return await SaveAsync(updated, session, rules, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> SetPremiumAsync(
        Guid id, PremiumRequest request, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken)
    {
        if (request.Enabled is not { } enabled)
        {
            return FieldErrors.Single("enabled", "true or false is required.");
        }

        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return FieldErrors.NotFound("account", id);
        }

        var updated = account with { PremiumAllowed = enabled };
        return await SaveAsync(updated, session, rules, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the account, then pushes its rules to Signaling.</summary>
    private static async Task<IResult> SaveAsync(
        Account updated, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken)
    {
        session.Update(updated);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await rules.AccountChangedAsync(updated, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(View(updated));
    }
}
