namespace Trunk.CallHistory.HangupAnalysis;

/// <summary>
/// Hangup analysis of the calls that started in [<see cref="From"/>, <see cref="To"/>) and have ended: counts per
/// group, per hangup cause and per transfer failure cause, the transfer success rate and the calls without audio.
/// </summary>
public sealed record HangupReport(
    DateTimeOffset From,
    DateTimeOffset To,
    HangupGrouping GroupBy,
    long Calls,
    long NoAudioCalls,
    long Transfers,
    long TransfersCompleted,
    double? TransferSuccessRate,
    IReadOnlyList<HangupGroup> Groups,
    IReadOnlyList<CauseCount> Causes,
    IReadOnlyList<CauseCount> TransferFailures,
    IReadOnlyList<Guid> NoAudioCallIds);

/// <summary>One group's counts; <see cref="Key"/> is the cause code, trunk id, account id or hour (ISO 8601), "none" when unknown.</summary>
public sealed record HangupGroup(string Key, long Calls, long NoAudioCalls, long Transfers, long TransfersCompleted);

/// <summary>How many calls or transfers ended with one cause.</summary>
public sealed record CauseCount(string Cause, long Count);
