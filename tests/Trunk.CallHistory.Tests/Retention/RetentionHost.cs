using Trunk.CallHistory.Tests.Support;

namespace Trunk.CallHistory.Tests.Retention;

/// <summary>
/// A CallHistory host with the daemon on its own schema and the default retention (90 days), so that its pruner deletes
/// only the retention tests' calls, never the 2025 calls of the other tests. A fixture of the retention tests' class in
/// the host collection: every host of the process stores every call event published, so the retention tests publish
/// only while no other test does (the other tests count the events in their schemas).
/// </summary>
public sealed class RetentionHost : IAsyncLifetime
{
    public CallHistoryHost Host { get; } = CallHistoryHost.OnSchema(
        $"callhistory_retention_{Guid.NewGuid().ToString("N")[..10]}",
        runDaemon: true,
        new Dictionary<string, string?> { ["CallHistory:Retention"] = "90.00:00:00" });

    public Task InitializeAsync() => Host.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await CallHistoryHost.DropSchemaAsync(Host.Schema);
    }
}
