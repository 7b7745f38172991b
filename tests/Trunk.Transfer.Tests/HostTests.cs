using Trunk.Testing;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Tests;

/// <summary>
/// The Transfer host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>), and,
/// sharded (the default), is ready only once the saga's events reach its shards.
/// </summary>
public sealed class HostTests() : PostgresHostSpecification("Transfer", SagaRouting.HealthCheckName);
