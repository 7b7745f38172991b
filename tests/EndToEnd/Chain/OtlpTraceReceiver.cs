using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Trunk.Testing;

namespace Trunk.EndToEnd.Tests.Chain;

/// <summary>One span as an OTLP exporter sent it: ids in hex, the exporting service, and its string attributes.</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, ulong StartUnixNano, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A small OTLP/HTTP receiver (<c>http/protobuf</c>, as the services export with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>):
/// keeps the spans of <c>/v1/traces</c> and answers every export 200, so that the services' exporters never retry.
/// The protobuf is read by hand (opentelemetry-proto's trace.proto field numbers), only what the tests need.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpTraceReceiver()
    {
        Port = FreePort.Tcp();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (HttpListenerException)
        {
            // The listener was stopped while a request was awaited: the loop is over.
        }
        catch (ObjectDisposedException)
        {
            // The same, seen as the listener's disposal.
        }
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync().ConfigureAwait(false);
            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    foreach (var span in ReadTraces(body.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    /// <summary>ExportTraceServiceRequest: resource_spans = 1.</summary>
    private static IEnumerable<ReceivedSpan> ReadTraces(byte[] request)
    {
        foreach (var (field, resourceSpans) in Protobuf.Messages(request))
        {
            if (field == 1)
            {
                foreach (var span in ReadResourceSpans(resourceSpans))
                {
                    yield return span;
                }
            }
        }
    }

    /// <summary>ResourceSpans: resource = 1 (attributes = 1), scope_spans = 2 (spans = 2).</summary>
    private static IEnumerable<ReceivedSpan> ReadResourceSpans(ReadOnlyMemory<byte> resourceSpans)
    {
        var service = "";
        var scopes = new List<ReadOnlyMemory<byte>>();
        foreach (var (field, value) in Protobuf.Messages(resourceSpans))
        {
            if (field == 1)
            {
                service = Protobuf.Messages(value).Where(f => f.Field == 1).Select(f => KeyValue(f.Value))
                    .FirstOrDefault(a => a.Key == "service.name").Text ?? "";
            }
            else if (field == 2)
            {
                scopes.Add(value);
            }
        }

        foreach (var scope in scopes)
        {
            foreach (var (field, span) in Protobuf.Messages(scope))
            {
                if (field == 2)
                {
                    yield return ReadSpan(service, span);
                }
            }
        }
    }

    /// <summary>Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, start_time_unix_nano = 7, attributes = 9.</summary>
    private static ReceivedSpan ReadSpan(string service, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        ulong start = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, _, value, number) in Protobuf.Fields(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value.Span); break;
                case 2: spanId = Convert.ToHexStringLower(value.Span); break;
                case 4: parent = value.Length == 0 ? null : Convert.ToHexStringLower(value.Span); break;
                case 5: name = Encoding.UTF8.GetString(value.Span); break;
                case 7: start = number; break;
                case 9 when KeyValue(value) is { Key: { } key, Text: { } text }:
                    attributes[key] = text;
                    break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parent, name, start, attributes);
    }

    /// <summary>KeyValue: key = 1, value = 2 (AnyValue: string_value = 1); Text is null for other kinds of value.</summary>
    private static (string? Key, string? Text) KeyValue(ReadOnlyMemory<byte> keyValue)
    {
        string? key = null, text = null;
        foreach (var (field, value) in Protobuf.Messages(keyValue))
        {
            if (field == 1)
            {
                key = Encoding.UTF8.GetString(value.Span);
            }
            else if (field == 2)
            {
                text = Protobuf.Messages(value).Where(v => v.Field == 1).Select(v => Encoding.UTF8.GetString(v.Value.Span)).FirstOrDefault();
            }
        }

        return (key, text);
    }
}
