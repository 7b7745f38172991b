using System.Net.Http.Headers;
using System.Text;
using Polly;
using Polly.Registry;

namespace Trunk.Webhooks.Delivery;

/// <summary>
/// POSTs one webhook through the <see cref="PipelineName"/> pipeline (retry with exponential back-off and jitter, a
/// timeout per try), signing each try anew. Returns how it ended after the last try.
/// </summary>
public sealed partial class WebhookSender(
    IHttpClientFactory clients,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider time,
    ILogger<WebhookSender> logger)
{
    public const string PipelineName = "webhook-delivery";
    public const string ClientName = "webhooks";

    public async Task<SendResult> SendAsync(Uri url, string secret, WebhookEvent webhook, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var client = clients.CreateClient(ClientName);
        var attempts = 0;
        int? status = null;
        string? error = null;
        try
        {
            using var response = await pipelines.GetPipeline<HttpResponseMessage>(PipelineName).ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = new HttpRequestMessage(HttpMethod.Post, url)
                    {
                        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                    };
                    request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow(), body));
                    request.Headers.Add(WebhookSignature.IdHeader, webhook.Id.ToString());
                    request.Headers.Add(WebhookSignature.TypeHeader, webhook.Type);
                    try
                    {
                        var response = await client.SendAsync(request, token).ConfigureAwait(false);
                        status = (int)response.StatusCode;
                        error = response.IsSuccessStatusCode ? null : response.ReasonPhrase;
                        LogAttempt(webhook.Type, webhook.Id, url, attempts, status);
                        return response;
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        (status, error) = (null, e.Message);
                        LogAttemptFailed(webhook.Type, webhook.Id, url, attempts, e.Message);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return new SendResult(response.IsSuccessStatusCode, attempts, status, error);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, attempts, status, error ?? e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Type} {WebhookId} to {Url}: try {Attempt} answered {StatusCode}")]
    private partial void LogAttempt(string type, Guid webhookId, Uri url, int attempt, int? statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Type} {WebhookId} to {Url}: try {Attempt} failed: {Error}")]
    private partial void LogAttemptFailed(string type, Guid webhookId, Uri url, int attempt, string error);
}

/// <summary>How a delivery ended: delivered or not, after how many tries, the last status code or error.</summary>
public sealed record SendResult(bool Delivered, int Attempts, int? LastStatusCode, string? LastError);
