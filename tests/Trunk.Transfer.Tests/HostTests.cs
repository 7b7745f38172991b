using Trunk.Testing;

namespace Trunk.Transfer.Tests;

/// <summary>The Transfer host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>).</summary>
public sealed class HostTests() : PostgresHostSpecification("Transfer");
