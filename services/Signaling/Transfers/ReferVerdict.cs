namespace Trunk.Signaling.Transfers;

/// <summary>The outcome of the REFER syntax checks: 0 to go on to the saga, else the final code and why.</summary>
internal sealed record ReferVerdict(int StatusCode, string Reason, string TargetNumber, string Host)
{
    public bool Passed => StatusCode == 0;

    public static ReferVerdict Reject(int statusCode, string reason) => new(statusCode, reason, string.Empty, string.Empty);
}
