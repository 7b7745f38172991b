namespace Trunk.Transfer;

/// <summary>Timeouts and limits of the transfer saga (section <c>Transfer</c>).</summary>
public sealed class TransferSettings
{
    public const string Section = "Transfer";

    /// <summary>How long the saga waits for Policy's answer to CheckTransfer or ReserveFunds before failing with 503.</summary>
    public TimeSpan PolicyDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After the endpoint gets with the 503 of a REFER that no policy decision answered.</summary>
    public int RetryAfterSeconds { get; set; } = 30;

    /// <summary>
    /// The most the target may ring before it is CANCELled and the endpoint gets NOTIFY 480: each trunk's own ring
    /// timeout (from Policy's TransferAllowed) applies when it is shorter.
    /// </summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a transferred call may last from the target's answer: then the saga hangs the call up, charges it up
    /// to then and finishes. It also ends what a stopped Signaling instance left (a call whose end is never published),
    /// so that no reservation is held for ever. Positive, at most 7 days.
    /// </summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Minutes of the target's rate reserved before dialling.</summary>
    public int ReservedMinutes { get; set; } = 10;

    /// <summary>
    /// How often the outbox is read for rows no dispatcher holds (a stopped instance's), and how long a failed send or
    /// delete waits before it is tried again.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many queues the saga's messages are spread over by call id, each handled one message at a time
    /// (<see cref="Saga.SagaShards"/>); 1 is one queue the saga reads itself.
    /// </summary>
    public int SagaShards { get; set; } = 4;

    /// <summary>How often due timeouts are looked for: the most a timeout fires late.</summary>
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long finished transfers (Final, Failed), with the ids of the messages they handled, are kept, so that a
    /// redelivery still finds them (<see cref="Persistence.SagaStorePruner"/>); older ones are deleted. Between one hour and 90 days.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);
}
