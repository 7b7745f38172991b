using System.Net;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

// A UAS for load runs: answers INVITE with 180 then 200, BYE and everything else with 200.
// Usage: Trunk.Sip.LoadUas <udp-port> [tcp-port]. Prints the bound ports, then runs until SIGTERM or SIGINT.
var udpPort = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5060;
var tcpPort = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : udpPort;
var options = new SipStackOptions
{
    Transport = new SipTransportOptions
    {
        Udp = [new IPEndPoint(IPAddress.Loopback, udpPort)],
        Tcp = [new IPEndPoint(IPAddress.Loopback, tcpPort)],
    },
};
await using var stack = new SipStack(options)
{
    OnRequest = request =>
    {
        if (request.Request.Method == SipMethod.Invite)
        {
            request.Respond(180);
        }

        request.Respond(200);
        return Task.CompletedTask;
    },
};
stack.Start();
Console.WriteLine($"listening udp {stack.Transport.UdpEndPoints[0]} tcp {stack.Transport.TcpEndPoints[0]}");
using var stop = new CancellationTokenSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine($"received {stack.Transport.Counters.Received} malformed {stack.Transport.Counters.MalformedDropped + stack.Transport.Counters.MalformedAnswered} overflow {stack.Transport.QueueOverflow}");
}
