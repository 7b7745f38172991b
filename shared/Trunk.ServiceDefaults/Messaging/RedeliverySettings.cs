namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Delayed (second-level) redelivery of every consumer (section <c>RabbitMq:Redelivery</c>): after the immediate
/// retries of <see cref="MessageRetryDefaults"/>, the message waits in RabbitMQ for each interval in turn and is
/// delivered again; after the last one it goes to the endpoint's <c>_error</c> queue.
/// </summary>
public sealed class RedeliverySettings
{
    public const string Section = "RabbitMq:Redelivery";

    /// <summary>The intervals used when none are configured.</summary>
    public static IReadOnlyList<TimeSpan> DefaultIntervals { get; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    /// <summary>
    /// Each redelivery's wait, in whole seconds (<c>RabbitMq:Redelivery:Intervals:0</c> = <c>00:00:10</c>, …);
    /// empty means <see cref="DefaultIntervals"/>. Starts empty because the configuration binder appends to a list
    /// that already holds values.
    /// </summary>
    public List<TimeSpan> Intervals { get; set; } = [];

    public IReadOnlyList<TimeSpan> IntervalsOrDefault() => Intervals.Count == 0 ? DefaultIntervals : Intervals;
}
