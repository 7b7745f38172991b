using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Trunk.Contracts.Transfers;
using Trunk.Webhooks.Delivery;
using Trunk.Webhooks.Tests.Support;

namespace Trunk.Webhooks.Tests.Delivery;

[Collection(HostCollection.Name)]
public sealed class TransferWebhookTests(WebhooksHost host)
{
    private const string Secret = "whsec-0123456789abcdef";

    [Fact]
    public async Task When_the_first_try_fails_Should_deliver_each_outcome_once_with_a_valid_signature()
    {
        await using var receiver = new WebhookReceiver(attempt => attempt == 1 ? 503 : 200);
        await receiver.StartAsync();
        var accountId = await SubscribeAsync(receiver);
        var (callId, completed, failed) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var at = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var acceptedId = Guid.NewGuid();
        await host.PublishAsync(WebhooksHost.Refer(callId, completed, accountId, "+442071234567", at));
        await host.PublishAsync(WebhooksHost.Refer(callId, failed, accountId, "+14155550123", at));
        await host.PublishAsync(new TransferAccepted(callId, at.AddMilliseconds(20), "transfer-1", completed), acceptedId);
        await host.PublishAsync(new TargetRinging(callId, at.AddMilliseconds(500), "signaling-1", completed, 183, EarlyMedia: true));
        await host.PublishAsync(new TransferCompleted(callId, at.AddSeconds(3), "transfer-1", completed, TimeSpan.FromSeconds(3)));
        await host.PublishAsync(new TransferFailed(callId, at.AddSeconds(40), "transfer-1", failed, 486, "Busy Here"));

        var delivered = await WaitForAsync(receiver, r => r.Count(w => w.Status == 200) == 4);
        await host.PublishAsync(new TransferAccepted(callId, at.AddMilliseconds(20), "transfer-1", completed), acceptedId);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(delivered.Count, receiver.Received.Count);
        var bodies = delivered.Where(w => w.Status == 200).Select(w => (Webhook: w, Json: JsonDocument.Parse(w.Body).RootElement)).ToList();
        Assert.Equal(
            ["transfer.accepted 202", "transfer.completed 200", "transfer.failed 486", "transfer.ringing 183"],
            bodies.Select(b => $"{b.Json.GetProperty("type").GetString()} {b.Json.GetProperty("sipCode").GetInt32()}").Order(StringComparer.Ordinal));
        foreach (var (webhook, json) in bodies)
        {
            Assert.Equal(2, webhook.Attempt);
            Assert.Single(delivered, w => w.Id == webhook.Id && w.Status == 503);
            AssertSigned(webhook);
            Assert.Equal(accountId, json.GetProperty("accountId").GetGuid());
            Assert.Equal(callId, json.GetProperty("callId").GetGuid());
        }

        var failure = bodies.Single(b => b.Json.GetProperty("type").GetString() == "transfer.failed").Json;
        Assert.Equal(("Busy Here", failed, "+14155550123"), (failure.GetProperty("reason").GetString(), failure.GetProperty("transferId").GetGuid(), failure.GetProperty("targetNumber").GetString()));
        Assert.True(bodies.Single(b => b.Json.GetProperty("type").GetString() == "transfer.ringing").Json.GetProperty("earlyMedia").GetBoolean());
    }

    [Fact]
    public async Task When_the_same_event_arrives_twice_at_once_Should_deliver_it_once()
    {
        await using var receiver = new WebhookReceiver(_ => 200);
        await receiver.StartAsync();
        var accountId = await SubscribeAsync(receiver);
        var (callId, transferId, eventId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var at = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        await host.PublishAsync(WebhooksHost.Refer(callId, transferId, accountId, "+442071234567", at));
        var accepted = new TransferAccepted(callId, at, "transfer-1", transferId);

        // A redelivery racing the first delivery (both in the queue together, consumed side by side).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.PublishAsync(accepted, eventId)));
        await WaitForAsync(receiver, r => r.Count >= 1);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task When_every_try_fails_Should_dead_letter_the_webhook_after_the_last_try()
    {
        await using var receiver = new WebhookReceiver(_ => 500);
        await receiver.StartAsync();
        var accountId = await SubscribeAsync(receiver);
        var (callId, transferId) = (Guid.NewGuid(), Guid.NewGuid());
        var at = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        await host.PublishAsync(WebhooksHost.Refer(callId, transferId, accountId, "+442071234567", at));
        await host.PublishAsync(new TransferAccepted(callId, at, "transfer-1", transferId));

        var letters = await host.WaitForDeadLettersAsync(accountId);

        var letter = Assert.Single(letters);
        Assert.Equal((WebhookEvent.Accepted, WebhooksHost.MaxAttempts, (int?)500, receiver.Url.ToString()), (letter.Type, letter.Attempts, letter.LastStatusCode, letter.Url));
        Assert.Equal(WebhooksHost.MaxAttempts, receiver.Received.Count);
        Assert.Equal(letter.Body, receiver.Received[0].Body);
    }

    private async Task<Guid> SubscribeAsync(WebhookReceiver receiver)
    {
        var accountId = Guid.NewGuid();
        using var response = await host.Http.PutAsJsonAsync(new Uri($"/webhooks/accounts/{accountId}", UriKind.Relative), new { url = receiver.Url, secret = Secret });
        response.EnsureSuccessStatusCode();
        return accountId;
    }

    /// <summary>Checks the signature as a receiver would: HMAC-SHA256 of "t.body" with the secret, in constant time.</summary>
    private static void AssertSigned(ReceivedWebhook webhook)
    {
        var parts = webhook.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{webhook.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), $"Bad signature {webhook.Signature}");
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["t"], CultureInfo.InvariantCulture));
        Assert.InRange(TimeProvider.System.GetUtcNow() - signedAt, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(5));
    }

    private static async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(WebhookReceiver receiver, Func<IReadOnlyList<ReceivedWebhook>, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (receiver.Received is var received && done(received))
            {
                return received;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The receiver got: {JsonSerializer.Serialize(receiver.Received)}");
    }
}
