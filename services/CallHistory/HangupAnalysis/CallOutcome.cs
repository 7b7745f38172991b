using Trunk.CallHistory.CallSummaries;

namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// One call as hangup analysis counts it, kept by the async daemon (<see cref="HangupAnalysisProjection"/>): the call's
/// hour, trunk, account, hangup cause, transfers and whether a leg lost its audio, taken from the call's summary. Rows
/// of earlier builds also carry the whole summary (<c>Call</c>): it is ignored when they are read.
/// </summary>
public sealed record CallOutcome
{
    public Guid Id { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? Hour { get; init; }

    public Guid? TrunkId { get; init; }

    public Guid? AccountId { get; init; }

    public string? Cause { get; init; }

    public bool NoAudio { get; init; }

    public int Transfers { get; init; }

    public int TransfersCompleted { get; init; }

    public IReadOnlyList<string> TransferFailures { get; init; } = [];

    public static CallOutcome From(CallSummary call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new CallOutcome
        {
            Id = call.Id,
            StartedAt = call.StartedAt,
            Hour = call.StartedAt is { } start ? new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero) : null,
            TrunkId = call.TrunkId,
            AccountId = call.AccountId,
            Cause = call.HangupCause,
            NoAudio = call.Media.Any(m => m.NoAudioFor is not null),
            Transfers = call.Transfers.Count(t => t.Outcome != TransferOutcome.Pending),
            TransfersCompleted = call.Transfers.Count(t => t.Outcome == TransferOutcome.Completed),
            TransferFailures = [.. call.Transfers.Select(t => t.FailureCause).OfType<string>()],
        };
    }
}
