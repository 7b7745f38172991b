using Trunk.Testing;

namespace Trunk.Webhooks.Tests;

/// <summary>The Webhooks host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("Webhooks");
