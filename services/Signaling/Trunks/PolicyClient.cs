using MassTransit;

namespace Trunk.Signaling.Trunks;

/// <summary>
/// A request client to Policy for a directory that lives as long as the host (a registered client is scoped and cannot
/// be held by a singleton): to <paramref name="address"/> when it is set, else published to whichever Policy consumes it.
/// </summary>
internal static class PolicyClient
{
    public static IRequestClient<T> For<T>(IBus bus, string? address)
        where T : class =>
        Uri.TryCreate(address, UriKind.Absolute, out var queue) ? bus.CreateRequestClient<T>(queue) : bus.CreateRequestClient<T>();
}
