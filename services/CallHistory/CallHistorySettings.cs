using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.CallHistory;

/// <summary>
/// <c>CallHistory:*</c> settings. <see cref="Schema"/> overrides the PostgreSQL schema (default <c>callhistory</c>);
/// <see cref="QueuePrefix"/> gives the event queues their own names and deletes them when the host stops, so that a
/// test's host never shares a queue with another.
/// </summary>
public sealed class CallHistorySettings
{
    public const string Section = "CallHistory";

    public string? Schema { get; set; }

    public string? QueuePrefix { get; set; }

    /// <summary>Runs the async daemon (hangup analysis) in this process; several instances elect one leader per schema.</summary>
    public bool RunProjectionDaemon { get; set; } = true;

    /// <summary>
    /// Parallel writers of call events (a call always goes to the same one); see <see cref="Recording.CallEventWriter"/>.
    /// One by default: the async daemon passes an event only once every event numbered before it is committed, so with
    /// two writers the events of one transaction wait for the other's commit as well (the hangup analysis lagged a few
    /// hundred ms more at 300 calls/s, for no more events per second on two cores: bench/results/callhistory.md).
    /// </summary>
    public int Writers { get; set; } = 1;

    /// <summary>
    /// The most call events one writer appends in one transaction. When the writers are saturated, events wait in
    /// open transactions for about Writers × WriterBatchSize / (events per second): the projection daemon sees an event
    /// only after its commit, so this bounds the lag as much as the throughput.
    /// </summary>
    public int WriterBatchSize { get; set; } = 250;

    /// <summary>
    /// How long a writer that found only a few events waiting (fewer than a quarter of
    /// <see cref="WriterBatchSize"/>) waits for more before it commits (0: never). At a few hundred events a second
    /// each transaction otherwise holds two or three events, and PostgreSQL's work per transaction (the commit, the
    /// daemon's cycle behind it) dominated CallHistory's cost per transfer (bench/results/transfers.md); a busy writer
    /// finds full batches and never waits. The events' history and acknowledgements are this much later.
    /// </summary>
    public TimeSpan WriterLinger { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How many event messages the queue hands over ahead of their commit (RabbitMQ prefetch and MassTransit's concurrent
    /// message limit): the writers' batches are made of these, so it bounds them.
    /// </summary>
    public int EventsInFlight { get; set; } = 2000;
}

internal sealed partial class CallHistorySettingsValidator : IValidateOptions<CallHistorySettings>
{
    public ValidateOptionsResult Validate(string? name, CallHistorySettings options)
    {
        var failures = new List<string>();
        if (options.Schema is not null && !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"CallHistory:Schema must be a lower-case PostgreSQL identifier (was '{options.Schema}').");
        }

        if (options.QueuePrefix is not null && !QueuePrefix().IsMatch(options.QueuePrefix))
        {
            failures.Add($"CallHistory:QueuePrefix must be lower-case letters, digits and '-' (was '{options.QueuePrefix}').");
        }

        SettingRules.Between(failures, "CallHistory:Writers", options.Writers, 1, 64);
        SettingRules.Between(failures, "CallHistory:WriterBatchSize", options.WriterBatchSize, 1, 10_000);
        SettingRules.Between(failures, "CallHistory:EventsInFlight", options.EventsInFlight, 1, 65_535);
        SettingRules.Between(failures, "CallHistory:WriterLinger", options.WriterLinger, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        return SettingRules.Result(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z0-9-]{0,60}$")]
    private static partial Regex QueuePrefix();
}
