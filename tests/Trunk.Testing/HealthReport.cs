namespace Trunk.Testing;

/// <summary>The JSON of a service's <c>/health/ready</c>, as a test reads it.</summary>
public sealed record HealthReport(string Status, string Service, string Instance, IReadOnlyList<HealthCheckReport> Checks)
{
    public HealthCheckReport Check(string name) =>
        Checks.SingleOrDefault(check => check.Name == name)
        ?? throw new InvalidOperationException($"No check named {name} in [{string.Join(", ", Checks.Select(c => c.Name))}].");
}

/// <summary>One dependency's verdict in a <see cref="HealthReport"/>.</summary>
public sealed record HealthCheckReport(string Name, string Status, string? Description, double DurationMs);
