using Marten;
using Trunk.Contracts.Policy;
using Trunk.Policy.Accounts;
using Trunk.Policy.Api;

namespace Trunk.Policy.Trunks;

/// <summary><c>/accounts/{id}/trunks</c> and <c>/trunks/{id}</c>: an account's inbound trunks.</summary>
public static class TrunkEndpoints
{
    public static IEndpointRouteBuilder MapTrunks(this IEndpointRouteBuilder routes)
    {
        var byAccount = routes.MapGroup("/accounts/{accountId:guid}/trunks").WithTags("Trunks");
        byAccount.MapPost("/", CreateAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        byAccount.MapGet("/", ListAsync);

        var group = routes.MapGroup("/trunks").WithTags("Trunks");
        group.MapGet("/{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> CreateAsync(
        Guid accountId, TrunkRequest request, IDocumentSession session, TrunkPublisher publisher, CancellationToken cancellationToken)
    {
        var errors = TrunkValidation.Validate(request);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await session.LoadAsync<Account>(accountId, cancellationToken).ConfigureAwait(false) is null)
        {
            return FieldErrors.NotFound("account", accountId);
        }

        var id = request.Id ?? Guid.NewGuid();
        var trunk = new InboundTrunk(
            id,
            accountId,
            (request.Domain ?? InboundTrunk.DefaultDomain(id)).ToLowerInvariant(),
            TrunkValidation.NormalizedDids(request.Dids),
            request.TerminationUris!,
            request.CarrierGateway!,
            TimeSpan.FromSeconds(request.RingTimeoutSeconds ?? TrunkValidation.DefaultRingTimeoutSeconds),
            request.Media ?? MediaMode.Anchored,
            request.CallsPerSecond ?? TrunkValidation.DefaultCallsPerSecond,
            request.SipTraceEnabled ?? true);
        session.Insert(trunk);
        foreach (var did in trunk.Dids)
        {
            session.Insert(new DidAssignment(did, trunk.Id));
        }

        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await publisher.ChangedAsync(trunk, [], removed: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/trunks/{trunk.Id}", trunk);
    }

    private static async Task<IResult> ListAsync(Guid accountId, IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok(await session.Query<InboundTrunk>().Where(t => t.AccountId == accountId).ToListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> GetAsync(Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is { } trunk
            ? TypedResults.Ok(trunk)
            : FieldErrors.NotFound("trunk", id);

    private static async Task<IResult> UpdateAsync(
        Guid id, TrunkRequest request, IDocumentSession session, TrunkPublisher publisher, CancellationToken cancellationToken)
    {
        var errors = TrunkValidation.Validate(request)
            .Check(request.Id is null || request.Id == id, "id", "Must match the id in the path.")
            .Check(request.Dids is null, "dids", "DIDs change through /trunks/{id}/dids.");
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is not { } trunk)
        {
            return FieldErrors.NotFound("trunk", id);
        }

        var updated = trunk with
        {
            Domain = (request.Domain ?? trunk.Domain).ToLowerInvariant(),
            TerminationUris = request.TerminationUris!,
            CarrierGateway = request.CarrierGateway!,
            RingTimeout = request.RingTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : trunk.RingTimeout,
            Media = request.Media ?? trunk.Media,
            CallsPerSecond = request.CallsPerSecond ?? trunk.CallsPerSecond,
            SipTraceEnabled = request.SipTraceEnabled ?? trunk.SipTraceEnabled,
        };
        session.Update(updated);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await publisher.ChangedAsync(updated, [], removed: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(updated);
    }

    private static async Task<IResult> DeleteAsync(Guid id, IDocumentSession session, TrunkPublisher publisher, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is not { } trunk)
        {
            return FieldErrors.NotFound("trunk", id);
        }

        session.Delete(trunk);
        foreach (var did in trunk.Dids)
        {
            session.Delete<DidAssignment>(did);
        }

        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await publisher.ChangedAsync(trunk, trunk.Dids, removed: true, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
