using Trunk.Testing;

namespace Trunk.CallHistory.Tests;

/// <summary>The CallHistory host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("CallHistory");
