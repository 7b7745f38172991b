using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Testing;

namespace Trunk.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Every host serves its metrics at <c>/metrics</c> for Prometheus, and the bus defaults measure consumer lag and carry
/// the W3C trace context: a real host on Kestrel consumes real RabbitMQ messages.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly TaskCompletionSource<Consumed> _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InProcessHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await InProcessHost.StartAsync(
            "metrics-tests",
            typeof(MetricsEndpointTests),
            new Dictionary<string, string?> { ["Service:InstanceId"] = $"metrics-tests-{Guid.NewGuid():N}" },
            builder =>
            {
                builder.Services.AddSingleton(_consumed);
                builder.AddTrunkBus(bus => bus.AddConsumer<LagProbeConsumer>().Endpoint(e =>
                {
                    e.Name = $"metrics-tests-{Guid.NewGuid():N}";
                    e.Temporary = true;
                }));
            },
            _ => { });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task When_a_message_is_consumed_Should_expose_its_consumer_lag_on_the_scrape_endpoint()
    {
        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(new LagProbe(Guid.NewGuid()));
        await _consumed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var lag = TrunkMetrics.ConsumerLag.PrometheusName;
        var scrape = await PrometheusScrape.WaitAsync(_host.Http, s => s.Find(lag + "_count", "messaging_message_type=\"LagProbe\"").Any(),
            TimeSpan.FromSeconds(10));

        var count = Assert.Single(scrape.Find(lag + "_count", "messaging_message_type=\"LagProbe\""));
        Assert.EndsWith(" 1", count, StringComparison.Ordinal);
        Assert.Contains(scrape.Find(lag + "_bucket", "messaging_message_type=\"LagProbe\""), b => b.Contains("le=\"0.001\"", StringComparison.Ordinal));
        Assert.Contains("# TYPE " + lag + " histogram", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_message_is_published_inside_a_trace_Should_be_consumed_in_the_same_trace_carrying_a_W3C_traceparent()
    {
        using var trace = new Activity("publisher").SetIdFormat(ActivityIdFormat.W3C).Start();
        trace.ActivityTraceFlags = ActivityTraceFlags.Recorded;

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(new LagProbe(Guid.NewGuid()));
        var consumed = await _consumed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(trace.TraceId.ToHexString(), consumed.TraceId);
        Assert.NotNull(consumed.TraceParent);
        Assert.Matches($"^00-{trace.TraceId.ToHexString()}-[0-9a-f]{{16}}-01$", consumed.TraceParent!);
    }

    [Fact]
    public async Task When_scraped_Should_serve_the_runtime_and_HTTP_metrics_in_Prometheus_text_format()
    {
        using var warmUp = await _host.Http.GetAsync(new Uri("/health/live", UriKind.Relative));

        var scrape = await PrometheusScrape.WaitAsync(_host.Http, s => s.Names.Contains("http_server_request_duration_seconds_count"),
            TimeSpan.FromSeconds(10));

        Assert.Contains("http_server_request_duration_seconds_count", scrape.Names);
        Assert.Contains(scrape.Names, n => n.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    public sealed record LagProbe(Guid Id);

    /// <summary>
    /// What the consumer saw: its activity's trace, and the W3C traceparent (<c>00-trace-span-flags</c>) the message
    /// carried, which MassTransit 8 sends in the <c>MT-Activity-Id</c> header.
    /// </summary>
    public sealed record Consumed(string? TraceId, string? TraceParent);

    internal sealed class LagProbeConsumer(TaskCompletionSource<Consumed> consumed) : IConsumer<LagProbe>
    {
        public Task Consume(ConsumeContext<LagProbe> context)
        {
            consumed.TrySetResult(new Consumed(Activity.Current?.TraceId.ToHexString(), context.Headers.Get<string>("MT-Activity-Id")));
            return Task.CompletedTask;
        }
    }
}
