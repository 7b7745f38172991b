using System.Text;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using static Trunk.Sip.Tests.Transactions.TestMessages;

namespace Trunk.Sip.Tests.Dialogs;

public sealed class ReferSubscriptionTests
{
    private static (Dialog Dialog, SipRequest Refer) ReferredDialog()
    {
        var invite = Request("INVITE");
        Assert.True(Dialog.TryCreateAsUas(invite, invite.CreateResponse(200, toTag: "ours"), SipUri.Parse("sip:trunk@127.0.0.1"), out var dialog));
        var refer = Request("REFER", cseq: 9, toTag: "ours");
        Assert.Equal(RemoteRequestCheck.Accepted, dialog!.OnRemoteRequest(refer));
        return (dialog, refer);
    }

    [Fact]
    public void When_the_referred_call_is_trying_Should_notify_active_with_a_sipfrag_100()
    {
        var (dialog, refer) = ReferredDialog();
        var subscription = new ReferSubscription(dialog, refer, TimeSpan.FromSeconds(60));

        var notify = subscription.CreateNotify(100, "Trying");

        Assert.Equal(SipMethod.Notify, notify.Method);
        Assert.Equal("refer;id=9", notify.Headers.GetFirst(SipHeaderNames.Event));
        Assert.Equal("active;expires=60", notify.Headers.GetFirst(SipHeaderNames.SubscriptionState));
        Assert.Equal("message/sipfrag", notify.ContentType);
        Assert.Equal("SIP/2.0 100 Trying\r\n", Encoding.ASCII.GetString(notify.Body.Span));
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal("ours", notify.From!.Tag);
    }

    [Fact]
    public void When_the_referred_call_ends_Should_notify_terminated_noresource_and_end_the_subscription()
    {
        var (dialog, refer) = ReferredDialog();
        var subscription = new ReferSubscription(dialog, refer, TimeSpan.FromSeconds(60));
        subscription.CreateNotify(100, "Trying");

        var notify = subscription.CreateNotify(200, "OK");

        Assert.Equal("terminated;reason=noresource", notify.Headers.GetFirst(SipHeaderNames.SubscriptionState));
        Assert.Equal(SubscriptionStatus.Terminated, subscription.Status);
        Assert.Throws<InvalidOperationException>(() => subscription.CreateNotify(200, "OK"));
    }

    [Fact]
    public void When_a_notify_gets_481_Should_end_the_subscription()
    {
        var (dialog, refer) = ReferredDialog();
        var subscription = new ReferSubscription(dialog, refer, TimeSpan.FromSeconds(60));
        var notify = subscription.CreateNotify(180, "Ringing");

        subscription.OnNotifyResponse(notify.CreateResponse(481));

        Assert.Equal(SubscriptionStatus.Terminated, subscription.Status);
    }

    [Fact]
    public void When_the_referrer_reads_a_notify_Should_see_the_id_state_and_status()
    {
        var (dialog, refer) = ReferredDialog();
        var subscription = new ReferSubscription(dialog, refer, TimeSpan.FromSeconds(60));
        var wire = (SipRequest)Parse(Encoding.ASCII.GetString(subscription.CreateNotify(503, "Service Unavailable").ToBytes()));

        Assert.True(ReferNotification.TryRead(wire, out var notification));

        Assert.Equal(new ReferNotification("9", SubscriptionStatus.Terminated, 503, "noresource"), notification);
    }
}
