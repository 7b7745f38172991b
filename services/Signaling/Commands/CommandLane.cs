namespace Trunk.Signaling.Commands;

/// <summary>
/// One call's commands from the saga, run one after another in the order they arrived, while other calls' commands run
/// beside them: an endpoint that is slow to answer a NOTIFY holds up its own call, not every call of the instance.
/// </summary>
internal sealed class CommandLane
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Queues <paramref name="command"/> behind the lane's earlier ones and returns at once; the task ends when it has run.</summary>
    public Task Run(Func<Task> command)
    {
        lock (_gate)
        {
            return _last = RunAfterAsync(_last, command);
        }
    }

    private static async Task RunAfterAsync(Task previous, Func<Task> command)
    {
        // Never inline: the caller (the bus consumer) goes on to the next message while this one waits its turn.
        await Task.Yield();
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await command().ConfigureAwait(false);
    }
}
