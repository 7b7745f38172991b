using Marten;
using Trunk.Numbering;
using Trunk.Policy.Api;

namespace Trunk.Policy.Trunks;

/// <summary><c>/trunks/{id}/dids/{number}</c> and <c>/dids/{number}</c>: which trunk answers a phone number.</summary>
public static class DidEndpoints
{
    public static IEndpointRouteBuilder MapDids(this IEndpointRouteBuilder routes)
    {
        var byTrunk = routes.MapGroup("/trunks/{id:guid}/dids").WithTags("DIDs");
        byTrunk.MapGet("/", ListAsync).ProducesProblem(StatusCodes.Status404NotFound);
        byTrunk.MapPut("/{number}", AddAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        byTrunk.MapDelete("/{number}", RemoveAsync).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/dids/{number}", FindAsync).WithTags("DIDs").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> ListAsync(Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is { } trunk
            ? TypedResults.Ok(trunk.Dids)
            : FieldErrors.NotFound("trunk", id);

    private static async Task<IResult> AddAsync(
        Guid id, string number, IDocumentSession session, TrunkPublisher publisher, CancellationToken cancellationToken)
    {
        if (PhoneNumberRules.TryParse(number, out var error) is not { } did)
        {
            return FieldErrors.Single("number", $"The number {error}.");
        }

        if (await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is not { } trunk)
        {
            return FieldErrors.NotFound("trunk", id);
        }

        if (trunk.Dids.Contains(did.E164))
        {
            return TypedResults.Ok(trunk);
        }

        var updated = trunk with { Dids = [.. trunk.Dids, did.E164] };
        session.Insert(new DidAssignment(did.E164, id));
        session.Update(updated);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await publisher.ChangedAsync(updated, [], removed: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/dids/{Uri.EscapeDataString(did.E164)}", updated);
    }

    private static async Task<IResult> RemoveAsync(
        Guid id, string number, IDocumentSession session, TrunkPublisher publisher, CancellationToken cancellationToken)
    {
        if (PhoneNumberRules.TryParse(number, out var error) is not { } did)
        {
            return FieldErrors.Single("number", $"The number {error}.");
        }

        if (await session.LoadAsync<InboundTrunk>(id, cancellationToken).ConfigureAwait(false) is not { } trunk || !trunk.Dids.Contains(did.E164))
        {
            return FieldErrors.NotFound("DID on this trunk", did.E164);
        }

        var updated = trunk with { Dids = trunk.Dids.Where(d => d != did.E164).ToList() };
        session.Delete<DidAssignment>(did.E164);
        session.Update(updated);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await publisher.ChangedAsync(updated, [did.E164], removed: false, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> FindAsync(string number, IQuerySession session, CancellationToken cancellationToken)
    {
        if (PhoneNumberRules.TryParse(number, out var error) is not { } did)
        {
            return FieldErrors.Single("number", $"The number {error}.");
        }

        var assignment = await session.LoadAsync<DidAssignment>(did.E164, cancellationToken).ConfigureAwait(false);
        var trunk = assignment is null ? null : await session.LoadAsync<InboundTrunk>(assignment.TrunkId, cancellationToken).ConfigureAwait(false);
        return trunk is null ? FieldErrors.NotFound("trunk for DID", did.E164) : TypedResults.Ok(trunk.ToSettings());
    }
}
