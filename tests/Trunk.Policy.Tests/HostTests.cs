using Trunk.Testing;

namespace Trunk.Policy.Tests;

/// <summary>The Policy host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("Policy");
