using System.Text.Json.Serialization;

namespace Trunk.ServiceDefaults.Health;

/// <summary>The body of <c>/health/live</c> and <c>/health/ready</c>.</summary>
public sealed record HealthResponse(string Status, string Service, string Instance, IReadOnlyList<HealthCheckResponse> Checks);

/// <summary>One dependency's verdict inside a <see cref="HealthResponse"/>.</summary>
public sealed record HealthCheckResponse(string Name, string Status, string? Description, double DurationMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
