using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

public sealed class InviteServerTableTests
{
    private static MachineHarness Start(bool reliable = false) => MachineHarness.Started(TransactionTables.InviteServer, reliable);

    [Fact]
    public void When_an_invite_arrives_Should_send_100_trying_at_once_and_pass_it_up()
    {
        var h = Start();

        Assert.Equal(Proceeding, h.State);
        Assert.Equal(TimeSpan.Zero, Assert.Single(h.TimesOf(TransactionAction.SendTrying)));
        Assert.Single(h.TimesOf(TransactionAction.PassToTu));
    }

    [Fact]
    public void When_the_invite_is_retransmitted_in_proceeding_Should_resend_the_last_provisional()
    {
        var h = Start();
        h.Machine.Fire(TuProvisional, "180");
        h.Machine.Fire(RequestRetransmission, "INVITE");

        Assert.Single(h.TimesOf(TransactionAction.ResendResponse));
        Assert.Single(h.TimesOf(TransactionAction.PassToTu));
    }

    [Fact]
    public void When_a_failure_is_sent_over_udp_Should_retransmit_with_timer_G_until_timer_H()
    {
        var h = Start();
        h.Machine.Fire(TuFailure, "486");
        h.Advance(TimeSpan.FromSeconds(40));

        var resends = h.TimesOf(TransactionAction.ResendResponse).Select(t => t.TotalMilliseconds).ToArray();
        Assert.Equal([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], resends);
        Assert.Equal(TimeSpan.FromSeconds(32), Assert.Single(h.TimesOf(TransactionAction.ReportTimeout)));
        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_timer_H_fires_Should_report_the_missing_ack()
    {
        var h = Start(reliable: true);
        h.Machine.Fire(TuFailure, "486");
        h.Advance(TimeSpan.FromSeconds(32));

        Assert.Empty(h.TimesOf(TransactionAction.ResendResponse));
        Assert.Single(h.TimesOf(TransactionAction.ReportTimeout));
    }

    [Fact]
    public void When_the_ack_arrives_Should_confirm_absorb_acks_and_end_after_timer_I()
    {
        var h = Start();
        h.Machine.Fire(TuFailure, "486");
        h.Machine.Fire(Ack, "ACK");
        Assert.Equal(Confirmed, h.State);

        Assert.False(h.Machine.Fire(Ack, "ACK"));
        h.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(Confirmed, h.State);
        h.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Terminated, h.State);
        Assert.Empty(h.TimesOf(TransactionAction.ResendResponse));
    }

    [Fact]
    public void When_the_ack_arrives_over_tcp_Should_terminate_at_once()
    {
        var h = Start(reliable: true);
        h.Machine.Fire(TuFailure, "486");
        h.Machine.Fire(Ack, "ACK");

        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_the_invite_is_retransmitted_in_completed_Should_resend_the_final()
    {
        var h = Start(reliable: true);
        h.Machine.Fire(TuFailure, "486");
        h.Machine.Fire(RequestRetransmission, "INVITE");

        Assert.Single(h.TimesOf(TransactionAction.ResendResponse));
    }

    [Fact]
    public void When_a_2xx_is_sent_Should_enter_accepted_absorb_invites_pass_acks_and_end_after_timer_L()
    {
        var h = Start();
        h.Machine.Fire(TuSuccess, "200");
        Assert.Equal(Accepted, h.State);

        Assert.False(h.Machine.Fire(RequestRetransmission, "INVITE"));
        Assert.True(h.Machine.Fire(TuSuccess, "200 again"));
        Assert.True(h.Machine.Fire(Ack, "ACK"));
        Assert.Equal(2, h.TimesOf(TransactionAction.PassToTu).Count());
        Assert.Equal(2, h.TimesOf(TransactionAction.SendResponse).Count());
        h.Advance(TimeSpan.FromMilliseconds(31999));
        Assert.Equal(Accepted, h.State);
        h.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Terminated, h.State);
    }

    [Theory]
    [InlineData(TuProvisional)]
    [InlineData(TuFailure)]
    public void When_the_transport_fails_Should_report_and_terminate(TransactionEvent before)
    {
        var h = Start();
        h.Machine.Fire(before, "response");
        h.Machine.Fire(TransportError);

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ReportTransportError));
    }
}
