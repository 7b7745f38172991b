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

    private readonly Lock _gate = new();

    /// <summary>Per event being sent, the last try in line: a later try of the same event starts when it ends.</summary>
    private readonly Dictionary<Guid, Task> _tries = [];

    public async Task DispatchAsync(Guid eventId, Guid transferId, Func<TransferAccount, WebhookEvent> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        Task attempt;
        lock (_gate)
        {
            var before = _tries.GetValueOrDefault(eventId) ?? Task.CompletedTask;
            attempt = AfterAsync(before, () => DispatchOnceAsync(eventId, transferId, create, cancellationToken));
            _tries[eventId] = attempt;
        }

        try
        {
            await attempt.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                // Only the last try in line leaves: one that came meanwhile is still queued behind this one.
                if (_tries.TryGetValue(eventId, out var last) && last == attempt)
                {
                    _tries.Remove(eventId);
                }
            }
        }
    }

    private static async Task AfterAsync(Task before, Func<Task> attempt)
    {
        // Never inline: the try must not start its database calls while the caller holds the gate.
        await Task.Yield();
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await attempt().ConfigureAwait(false);
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
