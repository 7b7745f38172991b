using System.Collections.Concurrent;
using System.Text.Json;
using Marten;
using Trunk.Webhooks.Subscriptions;

namespace Trunk.Webhooks.Delivery;

/// <summary>
/// Sends one transfer event to its account's webhook URL once: skipped when the account has no subscription or the
/// event was delivered before (a redelivery); stored as delivered on a 2xx; dead-lettered (stored and logged) when
/// every try failed. An event whose transfer's <c>ReferReceived</c> has not arrived yet throws, so that the bus retries it.
/// The same event arriving twice at once (a redelivery while the first try is still sending) waits for the first and
/// then finds it delivered.
/// </summary>
public sealed partial class WebhookDispatcher(
    IDocumentStore store,
    WebhookSender sender,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _sending = new();

    public async Task DispatchAsync(Guid eventId, Guid transferId, Func<TransferAccount, WebhookEvent> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var gate = _sending.GetOrAdd(eventId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DispatchOnceAsync(eventId, transferId, create, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
            _sending.TryRemove(KeyValuePair.Create(eventId, gate));
        }
    }

    private async Task DispatchOnceAsync(Guid eventId, Guid transferId, Func<TransferAccount, WebhookEvent> create, CancellationToken cancellationToken)
    {
        WebhookSubscription? subscription;
        WebhookEvent webhook;
        await using (var session = store.QuerySession())
        {
            var transfer = await session.LoadAsync<TransferAccount>(transferId, cancellationToken).ConfigureAwait(false)
                ?? throw new TransferNotKnownYetException(transferId);
            webhook = create(transfer);
            if (await session.LoadAsync<WebhookDelivery>(eventId, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogAlreadyDelivered(webhook.Type, eventId);
                return;
            }

            subscription = await session.LoadAsync<WebhookSubscription>(transfer.AccountId, cancellationToken).ConfigureAwait(false);
        }

        if (subscription is null)
        {
            LogNoSubscription(webhook.Type, transferId, webhook.AccountId);
            return;
        }

        var body = JsonSerializer.Serialize(webhook, Json);
        var result = await sender.SendAsync(new Uri(subscription.Url), subscription.Secret, webhook, body, cancellationToken).ConfigureAwait(false);
        await using var write = store.LightweightSession();
        if (result.Delivered)
        {
            write.Store(new WebhookDelivery(eventId, webhook.AccountId, webhook.Type, result.Attempts, time.GetUtcNow()));
            LogDelivered(webhook.Type, eventId, webhook.AccountId, result.Attempts);
        }
        else
        {
            write.Store(new DeadLetter(eventId, webhook.AccountId, subscription.Url, webhook.Type, body, result.Attempts, result.LastStatusCode, result.LastError, time.GetUtcNow()));
            LogDeadLettered(webhook.Type, eventId, webhook.AccountId, subscription.Url, result.Attempts, result.LastStatusCode, result.LastError);
        }

        await write.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Type} {WebhookId} of account {AccountId} delivered after {Attempts} tries")]
    private partial void LogDelivered(string type, Guid webhookId, Guid accountId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Type} {WebhookId} of account {AccountId} dead-lettered after {Attempts} tries to {Url}: last status {StatusCode}, {Error}")]
    private partial void LogDeadLettered(string type, Guid webhookId, Guid accountId, string url, int attempts, int? statusCode, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Type} of transfer {TransferId}: account {AccountId} has no subscription")]
    private partial void LogNoSubscription(string type, Guid transferId, Guid accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Type} {WebhookId} was delivered before; redelivery ignored")]
    private partial void LogAlreadyDelivered(string type, Guid webhookId);
}

/// <summary>A transfer event came before the transfer's <c>ReferReceived</c>; the bus retries it.</summary>
public sealed class TransferNotKnownYetException(Guid transferId)
    : InvalidOperationException($"Transfer {transferId} is not known yet (its ReferReceived has not been stored).");
