namespace Trunk.Signaling.Calls;

/// <summary>Waiting for a task with a time limit whose timer is gone as soon as the wait is over.</summary>
internal static class Deadline
{
    /// <summary>
    /// True when <paramref name="task"/> completes within <paramref name="timeout"/>. The timer is disarmed once either
    /// happens: a bare <c>Task.Delay</c> raced with <c>Task.WhenAny</c> stays armed, and alive, until it runs out — every
    /// call kept its ring timeout's timer (60 s) in the timer queue long after it was answered, promoted to generation 2
    /// (the B2BUA bench's heap snapshot in bench/results/b2bua.md).
    /// </summary>
    public static async Task<bool> CompletesWithinAsync(this Task task, TimeSpan timeout, TimeProvider time)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        using var expiry = new CancellationTokenSource();
        var delay = Task.Delay(timeout, time, expiry.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await expiry.CancelAsync().ConfigureAwait(false);
        return first != delay;
    }
}
