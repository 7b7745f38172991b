using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Trunk.ServiceDefaults.Security;

/// <summary>
/// Lets a request through to a service's API only with one of <c>Api:Keys</c>: as <c>Authorization: Bearer &lt;key&gt;</c>,
/// as <c>X-Api-Key: &lt;key&gt;</c>, or as the password of <c>Authorization: Basic</c> (any user name: a browser asks for
/// it on the call history pages). Anything else gets 401 with problem details and a log line. The probes and the
/// Prometheus scrape (<c>/health/*</c>, <c>/metrics</c>) stay open. Keys are compared by their SHA-256 in constant time.
/// </summary>
public sealed partial class ApiKeyMiddleware
{
    public const string KeyHeader = "X-Api-Key";

    private const int MaxBasicCredentials = 1024;

    private readonly RequestDelegate _next;
    private readonly byte[][] _keys;
    private readonly ILogger<ApiKeyMiddleware> _logger;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<ApiSettings> settings, ILogger<ApiKeyMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _next = next;
        _keys = [.. settings.Value.ConfiguredKeys.Select(Hash)];
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_keys.Length == 0 || IsOpen(context.Request.Path) || (Presented(context.Request) is { } key && Known(key)))
        {
            return _next(context);
        }

        LogRefused(context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"trunk\", charset=\"UTF-8\"";
        return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "An API key is required",
                detail: $"Send one of the service's Api:Keys as 'Authorization: Bearer <key>' or '{KeyHeader}: <key>'.")
            .ExecuteAsync(context);
    }

    private static bool IsOpen(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[KeyHeader] is [{ } header])
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicPassword(authorization["Basic ".Length..].Trim());
        }

        return null;
    }

    private static string? BasicPassword(string encoded)
    {
        // Credentials longer than this are no key of ours; the bound keeps the decoding buffer on the stack small.
        if (encoded.Length > MaxBasicCredentials)
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, decoded, out var length))
        {
            return null;
        }

        var credentials = Encoding.UTF8.GetString(decoded[..length]);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : credentials[(colon + 1)..];
    }

    private bool Known(string key)
    {
        var presented = Hash(key);
        var known = false;
        foreach (var candidate in _keys)
        {
            known |= CryptographicOperations.FixedTimeEquals(candidate, presented);
        }

        return known;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: no valid API key (Api:Keys)")]
    private partial void LogRefused(string method, string path, string? remote);
}
