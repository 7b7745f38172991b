using System.Net;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests;

/// <summary>The UAS of shared/Trunk.Sip/README.md, on free ports, called by a second stack.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task When_the_readme_uas_is_called_Should_ring_and_answer()
    {
        var options = new SipStackOptions
        {
            Transport = new SipTransportOptions
            {
                Udp = [new IPEndPoint(IPAddress.Loopback, 0)],
                Tcp = [new IPEndPoint(IPAddress.Loopback, 0)],
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

        await using var caller = Interop.Stacks.Create();
        caller.Start();
        var target = SipUri.Parse($"sip:trunk@{stack.Transport.UdpEndPoints[0]}");
        var invite = InitialRequests.Create(SipMethod.Invite, target, NameAddress.Parse("<sip:alice@127.0.0.1>"), caller.ContactUri(SipTransportProtocol.Udp));
        Assert.True(SipDestination.TryFromUri(target, out var destination));
        var provisional = new List<int>();

        var answer = await caller.SendAsync(invite, destination, r => provisional.Add(r.StatusCode));
        Assert.True(Dialog.TryCreateAsUac(invite, answer, out var dialog));
        Assert.True(dialog!.TryGetDestination(out var next));
        await caller.SendAckAsync(dialog.CreateAck(1), next);

        Assert.Equal(200, answer.StatusCode);
        Assert.Contains(180, provisional);
        Assert.True(await Transport.LoopbackClient.EventuallyAsync(() => stack.UnacknowledgedSuccesses == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task When_a_request_requires_an_unknown_extension_Should_answer_420_without_the_handler()
    {
        var handled = false;
        await using var stack = Interop.Stacks.Create();
        stack.OnRequest = _ =>
        {
            handled = true;
            return Task.CompletedTask;
        };
        stack.Start();
        await using var caller = Interop.Stacks.Create();
        caller.Start();
        var target = SipUri.Parse($"sip:trunk@{stack.Transport.UdpEndPoints[0]}");
        var options = InitialRequests.Create(SipMethod.Options, target, NameAddress.Parse("<sip:alice@127.0.0.1>"),
            caller.ContactUri(SipTransportProtocol.Udp), extraHeaders: [new SipHeader(SipHeaderNames.Require, "x-unknown")]);
        Assert.True(SipDestination.TryFromUri(target, out var destination));

        var answer = await caller.SendAsync(options, destination);

        Assert.Equal(420, answer.StatusCode);
        Assert.False(handled);
    }
}
