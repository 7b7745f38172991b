using System.Diagnostics;
using Trunk.Contracts;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Telemetry;

/// <summary>
/// One request we sent: its span, the responses it got counted, and for an INVITE the post-dial delay, from sending
/// to the first 180/183, or to the 2xx when no ringing came.
/// </summary>
internal sealed class SipClientTelemetry(SignalingTelemetry telemetry, Activity? activity, LegSide leg, string method) : IDisposable
{
    private readonly long _sentAt = Stopwatch.GetTimestamp();
    private bool _progressSeen;

    public void Provisional(SipResponse response)
    {
        telemetry.Count(method, response.StatusCode, "received");
        if (method == SipMethod.Invite && response.StatusCode is 180 or 183)
        {
            Progress();
        }
    }

    public void Final(SipResponse response)
    {
        telemetry.Count(method, response.StatusCode, "received");
        if (method == SipMethod.Invite && response.IsSuccess)
        {
            Progress();
        }

        if (activity is not null)
        {
            SignalingTelemetry.MarkStatus(activity, response.StatusCode);
        }
    }

    public void Dispose() => activity?.Dispose();

    private void Progress()
    {
        if (!_progressSeen)
        {
            _progressSeen = true;
            telemetry.PostDialDelay(leg, Stopwatch.GetElapsedTime(_sentAt));
        }
    }
}
