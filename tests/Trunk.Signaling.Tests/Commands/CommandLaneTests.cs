using Trunk.Signaling.Commands;

namespace Trunk.Signaling.Tests.Commands;

/// <summary>The saga's commands per call: in order within a call, never held up by another call's slow command.</summary>
public sealed class CommandLaneTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task When_a_calls_first_command_is_slow_Should_run_its_next_one_after_it_and_another_calls_at_once()
    {
        var slowCall = new CommandLane();
        var otherCall = new CommandLane();
        var endpointAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new List<string>();

        var notify100 = slowCall.Run(async () =>
        {
            await endpointAnswers.Task;
            await Record(ran, "call 1: NOTIFY 100");
        });
        var notify180 = slowCall.Run(() => Record(ran, "call 1: NOTIFY 180"));
        var other = otherCall.Run(() => Record(ran, "call 2: NOTIFY 100"));

        await other.WaitAsync(Wait);
        Assert.False(notify180.IsCompleted);
        endpointAnswers.SetResult();
        await Task.WhenAll(notify100, notify180).WaitAsync(Wait);

        Assert.Equal(["call 2: NOTIFY 100", "call 1: NOTIFY 100", "call 1: NOTIFY 180"], ran);
    }

    [Fact]
    public async Task When_a_command_fails_Should_run_the_calls_next_command()
    {
        var lane = new CommandLane();

        var failed = lane.Run(() => throw new InvalidOperationException("the endpoint's dialog is gone"));
        var next = lane.Run(() => Task.CompletedTask);

        await next.WaitAsync(Wait);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
    }

    [Fact]
    public async Task When_a_command_is_queued_Should_return_before_it_runs()
    {
        var lane = new CommandLane();
        using var released = new ManualResetEventSlim();
        var sawRelease = false;

        // The command blocks its thread until the test, after Run returned, releases it: had Run run it inline, the
        // test would still be inside Run and the command would time out unreleased.
        var command = lane.Run(() =>
        {
            sawRelease = released.Wait(TimeSpan.FromSeconds(5));
            return Task.CompletedTask;
        });
        released.Set();
        await command.WaitAsync(Wait);

        Assert.True(sawRelease);
    }

    private static Task Record(List<string> ran, string what)
    {
        lock (ran)
        {
            ran.Add(what);
        }

        return Task.CompletedTask;
    }
}
