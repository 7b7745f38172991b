using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Networking;
using Trunk.Webhooks.Delivery;

namespace Trunk.Webhooks.Subscriptions;

/// <summary>
/// <c>/webhooks/accounts/{id}</c>: each account's webhook URL and signing secret, kept in this service's own schema;
/// <c>/webhooks/dead-letters</c>: deliveries that failed every try.
/// </summary>
public static partial class SubscriptionsApi
{
    public const int MinSecretLength = 16;

    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/webhooks/accounts/{id:guid}").WithTags("Webhook subscriptions");
        accounts.MapPut("/", PutAsync).WithSummary("Sets the account's webhook URL (absolute http or https) and signing secret (at least 16 characters).");
        accounts.MapGet("/", GetAsync).WithSummary("The account's webhook URL (the secret is never shown).");
        accounts.MapDelete("/", DeleteAsync).WithSummary("Stops the account's webhooks.");
        routes.MapGet("/webhooks/dead-letters", DeadLettersAsync).WithTags("Webhook subscriptions")
            .WithSummary("Deliveries that failed every try, newest first; ?account= filters.");
        return routes;
    }

    private static async Task<Results<Ok<WebhookSubscriptionView>, ValidationProblem>> PutAsync(
        Guid id,
        WebhookSubscriptionRequest request,
        IDocumentSession session,
        TimeProvider time,
        IOptions<WebhooksSettings> settings,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors["url"] = ["'url' must be an absolute http or https URL."];
        }
        else if (!settings.Value.AllowPrivateNetworks && InternalAddresses.ContainsLiteral(url.Host))
        {
            errors["url"] = ["'url' must not be a private, loopback or link-local address (Webhooks:AllowPrivateNetworks is off)."];
        }

        if (request.Secret is null || request.Secret.Length < MinSecretLength)
        {
            errors["secret"] = [$"'secret' must be at least {MinSecretLength} characters."];
        }

        if (errors.Count > 0)
        {
            LogRejected(loggers.CreateLogger(typeof(SubscriptionsApi)), id, string.Join(", ", errors.Keys));
            return TypedResults.ValidationProblem(errors, title: "The subscription is invalid.");
        }

        var subscription = new WebhookSubscription(id, url!.ToString(), request.Secret!, time.GetUtcNow());
        session.Store(subscription);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(WebhookSubscriptionView.From(subscription));
    }

    private static async Task<Results<Ok<WebhookSubscriptionView>, ProblemHttpResult>> GetAsync(Guid id, IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<WebhookSubscription>(id, cancellationToken).ConfigureAwait(false) is { } subscription
            ? TypedResults.Ok(WebhookSubscriptionView.From(subscription))
            : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, IDocumentSession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<WebhookSubscription>(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(id);
        }

        session.Delete<WebhookSubscription>(id);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ValidationProblem>> DeadLettersAsync(string? account, IQuerySession session, CancellationToken cancellationToken)
    {
        IQueryable<DeadLetter> letters = session.Query<DeadLetter>();
        if (!string.IsNullOrEmpty(account))
        {
            if (!Guid.TryParse(account, out var accountId))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]>(StringComparer.Ordinal) { ["account"] = ["'account' must be an account id (a GUID)."] },
                    title: "The request has invalid filters.");
            }

            letters = letters.Where(l => l.AccountId == accountId);
        }

        var list = await letters.OrderByDescending(l => l.FailedAt).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No webhook subscription.", detail: $"Account '{id}' has no webhook subscription.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected the webhook subscription of account {AccountId}: invalid {Fields}")]
    private static partial void LogRejected(ILogger logger, Guid accountId, string fields);
}
