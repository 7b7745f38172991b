using Trunk.Testing;

namespace Trunk.Media.Tests;

/// <summary>The Media host keeps the promises of every trunk host (see <see cref="HostSpecification"/>).</summary>
public sealed class HostTests() : HostSpecification("Media");
