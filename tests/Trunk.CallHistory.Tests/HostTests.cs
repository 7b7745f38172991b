using Trunk.CallHistory.Recording;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests;

/// <summary>
/// The CallHistory host keeps the promises of every trunk host (see <see cref="PostgresHostSpecification"/>), and is
/// ready only once it reads its event queue.
/// </summary>
public sealed class HostTests() : PostgresHostSpecification("CallHistory", CallEventQueue.HealthCheckName);
