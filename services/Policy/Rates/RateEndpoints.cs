using Marten;
using Trunk.Policy.Api;
using Trunk.Policy.Balances;
using Trunk.Policy.Numbers;
using Trunk.Policy.Transfers;

namespace Trunk.Policy.Rates;

/// <summary>Body of <c>PUT /rates/{prefix}</c>.</summary>
public sealed record RateRequest(decimal? PricePerMinute, string? Description);

/// <summary><c>/rates</c>: price per minute by E.164 prefix; a number pays the rate of its longest matching prefix.</summary>
public static class RateEndpoints
{
    public static IEndpointRouteBuilder MapRates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/rates").WithTags("Rates");
        group.MapGet("/", ListAsync);
        group.MapPut("/{prefix}", SetAsync).ProducesValidationProblem();
        group.MapDelete("/{prefix}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/lookup/{number}", LookupAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> ListAsync(IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(await session.Query<Rate>().OrderBy(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> SetAsync(
        string prefix, RateRequest request, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken)
    {
        var digits = prefix.TrimStart('+');
        var errors = new FieldErrors()
            .Check(digits.Length is >= 1 and <= 15 && digits == Digits.Of(digits), "prefix", "1 to 15 digits, with or without '+'.")
            .Check(request.PricePerMinute is >= 0 and <= 1000, "pricePerMinute", "Must be 0 to 1000.")
            .Check(
                request.PricePerMinute is null || decimal.Round(request.PricePerMinute.Value, BalanceDecider.MoneyDecimals) == request.PricePerMinute,
                "pricePerMinute",
                "At most four decimals.");
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var rate = new Rate(digits, request.PricePerMinute!.Value, request.Description);
        if (await session.LoadAsync<Rate>(digits, cancellationToken).ConfigureAwait(false) == rate)
        {
            // Unchanged: nothing to save, and no push of every account's rules.
            return TypedResults.Ok(rate);
        }

        session.Store(rate);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await rules.RatesChangedAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(rate);
    }

    private static async Task<IResult> DeleteAsync(string prefix, IDocumentSession session, TransferRulesPublisher rules, CancellationToken cancellationToken)
    {
        var digits = prefix.TrimStart('+');
        if (await session.LoadAsync<Rate>(digits, cancellationToken).ConfigureAwait(false) is null)
        {
            return FieldErrors.NotFound("rate", digits);
        }

        session.Delete<Rate>(digits);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await rules.RatesChangedAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> LookupAsync(string number, IQuerySession session, CancellationToken cancellationToken) =>
        await RateBook.FindAsync(session, Digits.Of(number), cancellationToken).ConfigureAwait(false) is { } rate
            ? TypedResults.Ok(rate)
            : FieldErrors.NotFound("rate for", number);
}
