namespace Trunk.Webhooks.Subscriptions;

/// <summary>Where an account's transfer webhooks go (<see cref="Id"/> is the account id) and the secret that signs them.</summary>
public sealed record WebhookSubscription(Guid Id, string Url, string Secret, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>PUT /webhooks/accounts/{id}</c>.</summary>
public sealed record WebhookSubscriptionRequest(string? Url, string? Secret);

/// <summary>A subscription as the API shows it: never the secret.</summary>
public sealed record WebhookSubscriptionView(Guid AccountId, string Url, DateTimeOffset UpdatedAt)
{
    public static WebhookSubscriptionView From(WebhookSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new WebhookSubscriptionView(subscription.Id, subscription.Url, subscription.UpdatedAt);
    }
}
