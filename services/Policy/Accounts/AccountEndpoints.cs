using System.Text.RegularExpressions;
using Marten;
using Trunk.Numbering;
using Trunk.Policy.Api;
using Trunk.Policy.Transfers;

namespace Trunk.Policy.Accounts;

/// <summary><c>/accounts</c>: create, read, list and update accounts.</summary>
public static partial class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/accounts").WithTags("Accounts");
        group.MapPost("/", CreateAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static FieldErrors Validate(AccountRequest request) => new FieldErrors()
        .Check(!string.IsNullOrWhiteSpace(request.Name), "name", "A name is required.")
        .Check(PhoneNumberRules.IsKnownCountry(request.HomeCountry), "homeCountry", "An ISO 3166 country code such as US is required.")
        .Check(request.Currency is not null && CurrencyCode().IsMatch(request.Currency), "currency", "An ISO 4217 currency code such as USD is required.")
        .Check(
            request.WebhookUrl is null || (Uri.TryCreate(request.WebhookUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
            "webhookUrl",
            "Must be an absolute http(s) URL.");

    private static async Task<IResult> CreateAsync(AccountRequest request, IDocumentSession session, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var account = new Account(
            request.Id ?? Guid.NewGuid(), request.Name!.Trim(), request.HomeCountry!, request.Currency!, request.WebhookUrl, [], false);
        session.Insert(account);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/accounts/{account.Id}", account);
    }

    private static async Task<IResult> ListAsync(IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(await session.Query<Account>().OrderBy(a => a.Name).ToListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> GetAsync(Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is { } account
            ? TypedResults.Ok(account)
            : FieldErrors.NotFound("account", id);

    private static async Task<IResult> UpdateAsync(
        Guid id, AccountRequest request, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken)
    {
        var errors = Validate(request).Check(request.Id is null || request.Id == id, "id", "Must match the id in the path.");
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return FieldErrors.NotFound("account", id);
        }

        var updated = account with
        {
            Name = request.Name!.Trim(),
            HomeCountry = request.HomeCountry!,
            Currency = request.Currency!,
            WebhookUrl = request.WebhookUrl,
        };
        session.Update(updated);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await rules.AccountChangedAsync(updated, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(updated);
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
