namespace Trunk.ServiceDefaults.Hosting;

/// <summary>The wait of a stopping instance's drain: until what it serves has ended, or the drain's time is up.</summary>
public static class DrainWait
{
    /// <summary>How often the drain looks whether it is done.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until <paramref name="done"/> or <paramref name="deadline"/>; true when done. A cancellation (the host's
    /// shutdown timeout cutting the drain short) ends the wait too: what is left is then the caller's to end.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<bool> done, DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            while (!done() && time.GetUtcNow() < deadline)
            {
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Cut short: the caller ends what is left.
        }

        return done();
    }
}
