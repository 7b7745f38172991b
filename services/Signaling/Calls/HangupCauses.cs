namespace Trunk.Signaling.Calls;

/// <summary>The <c>HangupCause</c> values of <see cref="Trunk.Contracts.Calls.CallEnded"/> (README, Operating).</summary>
internal static class HangupCauses
{
    public const string CallerHangup = "caller_hangup";
    public const string CallerCancelled = "caller_cancelled";
    public const string EndpointHangup = "endpoint_hangup";
    public const string TargetHangup = "target_hangup";
    public const string EndpointRejected = "endpoint_rejected";
    public const string EndpointUnreachable = "endpoint_unreachable";
    public const string CommandedHangup = "commanded_hangup";
    public const string ServiceStopping = "service_stopping";
    public const string MediaUnavailable = "media_unavailable";
}
