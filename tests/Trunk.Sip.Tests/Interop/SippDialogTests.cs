using Trunk.Testing;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Interop;

/// <summary>
/// A whole dialog against SIPp (Scenarios/dialog_refer_uas.xml): INVITE, re-INVITE, a REFER from
/// SIPp answered 202 with the implicit subscription's NOTIFYs (active, then terminated), and BYE.
/// </summary>
public sealed class SippDialogTests
{
    [Theory]
    [InlineData(SipTransportProtocol.Udp)]
    [InlineData(SipTransportProtocol.Tcp)]
    public async Task When_the_peer_refers_the_call_Should_notify_the_subscription_and_end_the_dialog(SipTransportProtocol protocol)
    {
        await using var stack = Stacks.Create();
        var dialogs = new DialogSet();
        var referDone = new TaskCompletionSource<ReferSubscription>(TaskCreationOptions.RunContinuationsAsynchronously);
        stack.OnRequest = request => OnRequestAsync(stack, dialogs, request, referDone);
        stack.Start();
        var sippPort = FreePort.UdpAndTcp();
        await using var sipp = Sipp.Start("-sf", Sipp.ScenarioPath("dialog_refer_uas.xml"), "-t", protocol == SipTransportProtocol.Udp ? "u1" : "t1",
            "-i", "127.0.0.1", "-p", sippPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "1");
        await sipp.WaitUntilListeningAsync(sippPort, protocol == SipTransportProtocol.Tcp);
        var target = SipUri.Parse($"sip:bob@127.0.0.1:{sippPort}" + (protocol == SipTransportProtocol.Tcp ? ";transport=tcp" : ""));
        Assert.True(SipDestination.TryFromUri(target, out var destination));

        var invite = InitialRequests.Create(SipMethod.Invite, target, NameAddress.Parse("<sip:alice@127.0.0.1>"), stack.ContactUri(protocol));
        var early = new List<Dialog>();
        var answer = await stack.SendAsync(invite, destination, r =>
        {
            if (Dialog.TryCreateAsUac(invite, r, out var d))
            {
                early.Add(d!);
            }
        });
        Assert.Equal(DialogState.Early, Assert.Single(early).State);
        Assert.True(Dialog.TryCreateAsUac(invite, answer, out var dialog));
        Assert.Equal(DialogState.Confirmed, dialog!.State);
        dialogs.TryAdd(dialog);
        Assert.True(dialog.TryGetDestination(out var next));
        await stack.SendAckAsync(dialog.CreateAck(1), next);

        var reInvite = dialog.CreateRequest(SipMethod.Invite);
        var reAnswer = await stack.SendAsync(reInvite, next);
        dialog.OnResponse(reInvite, reAnswer);
        Assert.Equal(200, reAnswer.StatusCode);
        await stack.SendAckAsync(dialog.CreateAck(reInvite.CSeq!.Number), next);

        var subscription = await referDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SubscriptionStatus.Terminated, subscription.Status);

        var bye = dialog.CreateRequest(SipMethod.Bye);
        var byeAnswer = await stack.SendAsync(bye, next);
        dialog.OnResponse(bye, byeAnswer);

        var (exitCode, output) = await sipp.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, $"sipp exit {exitCode}: {output}");
        Assert.Equal(200, byeAnswer.StatusCode);
        Assert.Equal(DialogState.Terminated, dialog.State);
        Assert.Equal(5, bye.CSeq!.Number);
    }

    private static async Task OnRequestAsync(SipStack stack, DialogSet dialogs, IncomingRequest request, TaskCompletionSource<ReferSubscription> referDone)
    {
        if (request.Request.Method != SipMethod.Refer || !dialogs.TryFind(request.Request, out var dialog))
        {
            request.Respond(481);
            return;
        }

        Assert.Equal(RemoteRequestCheck.Accepted, dialog!.OnRemoteRequest(request.Request));
        Assert.NotNull(request.Request.GetReferTo());
        request.Respond(202);
        Assert.True(dialog.TryGetDestination(out var next));
        var subscription = new ReferSubscription(dialog, request.Request, TimeSpan.FromSeconds(60));
        foreach (var (status, reason) in new[] { (100, "Trying"), (200, "OK") })
        {
            var notify = subscription.CreateNotify(status, reason);
            subscription.OnNotifyResponse(await stack.SendAsync(notify, next));
        }

        referDone.SetResult(subscription);
    }
}
