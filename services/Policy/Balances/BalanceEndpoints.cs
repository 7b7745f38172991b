using Marten;
using Trunk.Policy.Accounts;
using Trunk.Policy.Api;

namespace Trunk.Policy.Balances;

/// <summary>Body of <c>POST /accounts/{id}/top-ups</c>; a repeated reference is a no-op.</summary>
public sealed record TopUpRequest(decimal? Amount, string? Reference);

/// <summary>The balance as the API shows it.</summary>
public sealed record BalanceView(Guid AccountId, string Currency, decimal Available, decimal Reserved, IReadOnlyDictionary<Guid, Reservation> Reservations);

/// <summary>One fact of the balance's history.</summary>
public sealed record BalanceEntry(long Version, DateTimeOffset At, string Type, object Data);

/// <summary><c>/accounts/{id}/top-ups</c>, <c>/accounts/{id}/balance</c> and its history.</summary>
public static class BalanceEndpoints
{
    private const decimal MaxTopUp = 1_000_000m;

    public static IEndpointRouteBuilder MapBalances(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/accounts/{id:guid}").WithTags("Balance");
        group.MapPost("/top-ups", TopUpAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/balance", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/balance/history", HistoryAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> TopUpAsync(
        Guid id, TopUpRequest request, IQuerySession session, BalanceLedger ledger, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .Check(request.Amount is > 0 and <= MaxTopUp, "amount", $"Must be more than 0 and at most {MaxTopUp}.")
            .Check(request.Amount is null || decimal.Round(request.Amount.Value, BalanceDecider.MoneyDecimals) == request.Amount, "amount", "At most four decimals.")
            .Check(request.Reference is null || request.Reference.Length is > 0 and <= 100, "reference", "1 to 100 characters.");
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return FieldErrors.NotFound("account", id);
        }

        var topUp = new TopUp(id, request.Amount!.Value, request.Reference ?? Guid.NewGuid().ToString("N"));
        await ledger.DecideAsync<bool>(id, null, (state, now) => (BalanceDecider.Handle(state, topUp, now), true), cancellationToken).ConfigureAwait(false);
        var balance = await ledger.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/accounts/{id}/balance", View(account, balance));
    }

    private static async Task<IResult> GetAsync(Guid id, IQuerySession session, BalanceLedger ledger, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return FieldErrors.NotFound("account", id);
        }

        return TypedResults.Ok(View(account, await ledger.GetAsync(id, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<IResult> HistoryAsync(Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Account>(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return FieldErrors.NotFound("account", id);
        }

        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(events.Select(e => new BalanceEntry(e.Version, e.Timestamp, e.EventTypeName, e.Data)).ToList());
    }

    private static BalanceView View(Account account, Balance balance) =>
        new(account.Id, account.Currency, balance.Available, balance.Reserved, balance.Reservations);
}
