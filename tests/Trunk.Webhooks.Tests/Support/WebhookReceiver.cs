using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Trunk.Testing;

namespace Trunk.Webhooks.Tests.Support;

/// <summary>
/// A customer's webhook endpoint: a real Kestrel server on loopback that records every request it gets and answers
/// each with what <paramref name="answer"/> says for that request's try number of its webhook id.
/// </summary>
public sealed class WebhookReceiver(Func<int, int> answer) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _tries = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Url = new Uri($"http://127.0.0.1:{FreePort.Tcp()}/hooks/transfers");
        builder.WebHost.UseUrls($"http://127.0.0.1:{Url.Port}");
        _app = builder.Build();
        _app.MapPost("/hooks/transfers", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var id = request.Headers["Trunk-Webhook-Id"].ToString();
            var attempt = _tries.AddOrUpdate(id, 1, (_, n) => n + 1);
            var status = answer(attempt);
            _received.Enqueue(new ReceivedWebhook(id, attempt, request.Headers["Trunk-Signature"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One request the receiver got, and the status it answered.</summary>
public sealed record ReceivedWebhook(string Id, int Attempt, string Signature, string Body, int Status);
