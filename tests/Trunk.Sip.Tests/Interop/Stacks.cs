using System.Net;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Interop;

internal static class Stacks
{
    /// <summary>A stack on loopback with free UDP and TCP ports.</summary>
    public static SipStack Create(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var stack = new SipStack(new SipStackOptions
        {
            Transport = new SipTransportOptions
            {
                Udp = [new IPEndPoint(address, 0)],
                Tcp = [new IPEndPoint(address, 0)],
            },
        });
        return stack;
    }

    /// <summary>A UAS that rings then answers INVITE, and answers 200 to everything else.</summary>
    public static SipStack AnsweringUas()
    {
        var stack = Create();
        stack.OnRequest = request =>
        {
            if (request.Request.Method == SipMethod.Invite)
            {
                request.Respond(180);
            }

            request.Respond(200);
            return Task.CompletedTask;
        };
        stack.Start();
        return stack;
    }

    public static SipDestination Destination(SipTransportProtocol protocol, int port) =>
        new(protocol, new IPEndPoint(IPAddress.Loopback, port));
}
