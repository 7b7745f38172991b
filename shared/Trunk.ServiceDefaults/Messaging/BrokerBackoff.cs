namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// The wait between tries of a service's own RabbitMQ.Client work (declaring bindings, reading a queue) while the broker
/// is away: 1 s, doubled after each try, at most 30 s.
/// </summary>
public sealed class BrokerBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>How long the next <see cref="WaitAsync"/> waits (for the log line that announces it).</summary>
    public TimeSpan Next { get; private set; } = First;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Next, cancellationToken).ConfigureAwait(false);
        Next = TimeSpan.FromTicks(Math.Min(Next.Ticks * 2, Longest.Ticks));
    }
}
