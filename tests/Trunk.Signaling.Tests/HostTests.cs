using Trunk.Testing;

namespace Trunk.Signaling.Tests;

/// <summary>The Signaling host keeps the promises of every trunk host (see <see cref="HostSpecification"/>).</summary>
public sealed class HostTests() : HostSpecification("Signaling");
