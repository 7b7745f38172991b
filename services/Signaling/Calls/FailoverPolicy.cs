namespace Trunk.Signaling.Calls;

/// <summary>Which endpoint outcomes move a call on to the trunk's next termination URI (issue 4: 408, 5xx, no answer in time).</summary>
internal static class FailoverPolicy
{
    /// <summary>Our code for an endpoint that stayed silent or did not answer in time.</summary>
    public const int NoAnswer = 408;

    public static bool TriesNext(int statusCode) => statusCode is NoAnswer or >= 500 and < 600;

    /// <summary>What the caller hears when every URI failed: the endpoint's code, with our own no-answer as 480 (§21.4.18).</summary>
    public static int CallerCode(int lastStatusCode) => lastStatusCode == NoAnswer ? 480 : lastStatusCode;
}
