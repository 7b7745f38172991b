using System.Net;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Signaling.Calls;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Tracing;

/// <summary>Keeps each SIP message in or out in its call's trace buffer, when the call's trunk has tracing on.</summary>
internal sealed class SipTracer(TimeProvider time)
{
    public void Record(Call? call, LegSide leg, SipDirection direction, SipMessage message, SipTransportProtocol protocol,
        IPEndPoint local, IPEndPoint remote)
    {
        if (call is null || !call.Trunk.SipTraceEnabled)
        {
            return;
        }

        call.Trace.Add(time.GetUtcNow(), leg, direction, protocol, local, remote, message);
    }
}
