using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trunk.ServiceDefaults.Persistence;

namespace Trunk.ServiceDefaults.Tests.Persistence;

/// <summary>
/// Housekeeping never stops a service: a prune that fails in a way nobody foresaw (here as Marten did on a new database,
/// creating a table the schema's own start was creating too) is tried again at the next tick, and the host goes on.
/// </summary>
public sealed class RetentionPrunerTests
{
    [Fact]
    public async Task When_a_prune_fails_with_an_unexpected_exception_Should_keep_running_and_prune_again_at_the_next_tick()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var pruner = new FailingOncePruner(time);

        await pruner.StartAsync(CancellationToken.None);
        await pruner.Runs.WaitAsync(1);
        time.Advance(RetentionPruner.Every);
        await pruner.Runs.WaitAsync(2);

        Assert.False(pruner.ExecuteTask!.IsCompleted, $"the pruner stopped: {pruner.ExecuteTask.Exception}");
        await pruner.StopAsync(CancellationToken.None);
    }

    private sealed class FailingOncePruner(TimeProvider time) : RetentionPruner(time, NullLogger.Instance)
    {
        public RunCounter Runs { get; } = new();

        protected override string What => "test records";

        public override Task PruneAsync(CancellationToken cancellationToken) =>
            Runs.Increment() == 1 ? throw new InvalidOperationException("23505: duplicate key value violates unique constraint") : Task.CompletedTask;
    }

    /// <summary>Counts runs and lets the test wait for a count (10 s at most).</summary>
    private sealed class RunCounter
    {
        private int _count;

        public int Increment() => Interlocked.Increment(ref _count);

        public async Task WaitAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _count) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Volatile.Read(ref _count)} runs, not {count}");
                await Task.Delay(10);
            }
        }
    }
}
