using Trunk.Testing;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Interop;

/// <summary>The stack's UAC calls SIPp's built-in <c>uas</c> scenario: INVITE, ACK for the 2xx, BYE.</summary>
public sealed class SippUasTests
{
    private const int Calls = 10;

    [Theory]
    [InlineData(SipTransportProtocol.Udp)]
    [InlineData(SipTransportProtocol.Tcp)]
    public async Task When_the_stack_calls_sipp_uas_Should_complete_every_call(SipTransportProtocol protocol)
    {
        await using var stack = Stacks.Create();
        stack.Start();
        var sippPort = FreePort.UdpAndTcp();
        await using var sipp = Sipp.Start("-sn", "uas", "-t", protocol == SipTransportProtocol.Udp ? "u1" : "t1", "-i", "127.0.0.1",
            "-p", sippPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-m", Calls.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await sipp.WaitUntilListeningAsync(sippPort, protocol == SipTransportProtocol.Tcp);
        var target = SipUri.Parse($"sip:service@127.0.0.1:{sippPort}" + (protocol == SipTransportProtocol.Tcp ? ";transport=tcp" : ""));
        var from = NameAddress.Parse($"<sip:alice@{stack.ContactUri(protocol).Host}>");

        var codes = new List<int>();
        for (var i = 0; i < Calls && codes.All(c => c == 200); i++)
        {
            codes.Add(await CallAsync(stack, protocol, target, from));
        }

        // SIPp's own account of a failed call (its screen and errors) goes into the failure message.
        var (exitCode, output) = await sipp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(codes.Count == Calls && codes.All(c => c == 200), $"calls ended {string.Join(", ", codes)}; sipp exit {exitCode}: {output}");
        Assert.True(exitCode == 0, $"sipp exit {exitCode}: {output}");
    }

    /// <summary>One call: the INVITE's final status when it is not 200, else the BYE's.</summary>
    private static async Task<int> CallAsync(Trunk.Sip.Transactions.SipStack stack, SipTransportProtocol protocol, SipUri target, NameAddress from)
    {
        var invite = InitialRequests.Create(SipMethod.Invite, target, from, stack.ContactUri(protocol));
        Assert.True(SipDestination.TryFromUri(target, out var destination));
        var provisional = new List<int>();
        var answer = await stack.SendAsync(invite, destination, r => provisional.Add(r.StatusCode));
        if (answer.StatusCode != 200)
        {
            return answer.StatusCode;
        }

        Assert.True(Dialog.TryCreateAsUac(invite, answer, out var dialog));
        Assert.True(dialog!.TryGetDestination(out var next));
        await stack.SendAckAsync(dialog.CreateAck(invite.CSeq!.Number), next);
        var bye = dialog.CreateRequest(SipMethod.Bye);
        var byeResponse = await stack.SendAsync(bye, next);
        dialog.OnResponse(bye, byeResponse);
        Assert.Equal(DialogState.Terminated, dialog.State);
        return byeResponse.StatusCode;
    }
}
