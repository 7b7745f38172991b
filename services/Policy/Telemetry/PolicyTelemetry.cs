using System.Diagnostics;
using Trunk.Contracts.Policy;
using Trunk.ServiceDefaults;

namespace Trunk.Policy.Telemetry;

/// <summary>
/// Policy's spans on the transfer path, each under the consume span of its request (so in the call's trace):
/// <c>policy check-transfer</c> and <c>funds reserve</c>, with the call, transfer, account and trunk, and the answer's SIP code.
/// </summary>
public sealed class PolicyTelemetry(ServiceIdentity identity)
{
    public Activity? StartCheckTransfer(CheckTransfer request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = Start("policy check-transfer", request.CallId, request.TransferId, request.AccountId);
        activity?.SetTag("trunk.trunk_id", request.TrunkId);
        return activity;
    }

    public Activity? StartReserveFunds(ReserveFunds request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = Start("funds reserve", request.CallId, request.TransferId, request.AccountId);
        activity?.SetTag("funds.minutes", request.Minutes);
        return activity;
    }

    /// <summary>The answer: the SIP code the REFER or NOTIFY will carry (202 allowed or reserved, else 403, 402, …) and why.</summary>
    public static void Answered(Activity? activity, int sipCode, string reason)
    {
        activity?.SetTag("sip.status_code", sipCode);
        activity?.SetTag("policy.reason", reason);
    }

    private Activity? Start(string name, Guid callId, Guid transferId, Guid accountId)
    {
        var activity = identity.ActivitySource.StartActivity(name);
        activity?.SetTag("trunk.call_id", callId);
        activity?.SetTag("trunk.transfer_id", transferId);
        activity?.SetTag("trunk.account_id", accountId);
        return activity;
    }
}
