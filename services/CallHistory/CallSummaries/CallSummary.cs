using Trunk.Contracts;

namespace Trunk.CallHistory.CallSummaries;

/// <summary>What happened to one call, kept in step with its stream by <see cref="CallSummaryProjection"/>.</summary>
public sealed record CallSummary
{
    public Guid Id { get; init; }

    public string? SipCallId { get; init; }

    public string? CallerNumber { get; init; }

    public string? Did { get; init; }

    public Guid? TrunkId { get; init; }

    public Guid? AccountId { get; init; }

    public string? SourceAddress { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public TimeSpan? Duration { get; init; }

    public TimeSpan? PostDialDelay { get; init; }

    public string? TerminationUri { get; init; }

    public IReadOnlyList<LegSummary> Legs { get; init; } = [];

    public IReadOnlyList<TransferSummary> Transfers { get; init; } = [];

    public IReadOnlyList<ReferRejection> ReferRejections { get; init; } = [];

    public IReadOnlyList<LegMedia> Media { get; init; } = [];

    /// <summary>The <see cref="HangupCauses"/> code of the call's end, classified from every event (null while it goes on).</summary>
    public string? HangupCause { get; init; }

    /// <summary>The cause Signaling gave in <c>CallEnded</c>, as it gave it.</summary>
    public string? SignalingCause { get; init; }

    public LegSide? HungUpBy { get; init; }

    public int? SipCode { get; init; }

    public int? Q850Cause { get; init; }
}

/// <summary>One leg: the caller's, each endpoint attempt, each transfer target.</summary>
public sealed record LegSummary(
    LegSide Leg,
    string? SipCallId,
    string? Destination,
    DateTimeOffset StartedAt,
    int Attempt,
    DateTimeOffset? EndedAt = null,
    LegSide? HungUpBy = null,
    int? SipCode = null,
    string? Reason = null);

/// <summary>One REFER the saga took up, and how it ended.</summary>
public sealed record TransferSummary(
    Guid TransferId,
    string? TargetNumber,
    DateTimeOffset? ReferredAt,
    TransferOutcome Outcome = TransferOutcome.Pending,
    DateTimeOffset? AcceptedAt = null,
    DateTimeOffset? RingingAt = null,
    DateTimeOffset? AnsweredAt = null,
    DateTimeOffset? BridgedAt = null,
    DateTimeOffset? EndedAt = null,
    TimeSpan? ReferToBridge = null,
    int? SipCode = null,
    string? Reason = null,
    string? FailureCause = null);

/// <summary>How a transfer ended.</summary>
public enum TransferOutcome
{
    Pending,
    Completed,
    Failed,
    Denied,
}

/// <summary>A REFER Signaling answered with a failure before any transfer began.</summary>
public sealed record ReferRejection(DateTimeOffset At, int SipCode, string Reason);

/// <summary>RTP quality of one leg when it ended, and whether it went silent.</summary>
public sealed record LegMedia(
    LegSide Leg,
    long Packets,
    long PacketsLost,
    double JitterMilliseconds,
    DateTimeOffset? LastPacketAt,
    TimeSpan? NoAudioFor = null);
