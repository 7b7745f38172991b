using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

public sealed class InviteClientTableTests
{
    private static MachineHarness Start(bool reliable = false) => MachineHarness.Started(TransactionTables.InviteClient, reliable);

    [Fact]
    public void When_started_over_udp_Should_retransmit_with_timer_A_doubling_until_timer_B()
    {
        var h = Start();
        h.Advance(TimeSpan.FromSeconds(40));

        var sends = h.TimesOf(TransactionAction.SendRequest).Select(t => t.TotalMilliseconds).ToArray();
        Assert.Equal([0, 500, 1500, 3500, 7500, 15500, 31500], sends);
        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_timer_B_fires_Should_report_timeout()
    {
        var h = Start();
        h.Advance(TimeSpan.FromMilliseconds(31999));
        Assert.Equal(Calling, h.State);

        h.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(Terminated, h.State);
        Assert.Equal(TimeSpan.FromSeconds(32), Assert.Single(h.TimesOf(TransactionAction.ReportTimeout)));
    }

    [Fact]
    public void When_started_over_tcp_Should_not_retransmit()
    {
        var h = Start(reliable: true);
        h.Advance(TimeSpan.FromSeconds(10));

        Assert.Single(h.TimesOf(TransactionAction.SendRequest));
    }

    [Fact]
    public void When_a_provisional_arrives_Should_stop_retransmitting_and_pass_it_up()
    {
        var h = Start();
        Assert.True(h.Machine.Fire(Provisional, "180"));
        h.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(Proceeding, h.State);
        Assert.Single(h.TimesOf(TransactionAction.SendRequest));
        Assert.Empty(h.TimesOf(TransactionAction.ReportTimeout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void When_a_failure_arrives_Should_ack_and_terminate_after_timer_D(bool reliable)
    {
        var h = Start(reliable);
        h.Machine.Fire(Provisional, "180");
        h.Machine.Fire(Failure, "486");

        Assert.Single(h.TimesOf(TransactionAction.SendAck));
        if (!reliable)
        {
            Assert.Equal(Completed, h.State);
            h.Machine.Fire(Failure, "486");
            Assert.Equal(2, h.TimesOf(TransactionAction.SendAck).Count());
            Assert.Single(h.TimesOf(TransactionAction.PassToTu).Skip(1));
            h.Advance(TimeSpan.FromMilliseconds(31999));
            Assert.Equal(Completed, h.State);
            h.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_a_2xx_arrives_Should_enter_accepted_and_pass_retransmissions_up_until_timer_M()
    {
        var h = Start();
        h.Machine.Fire(Success, "200");
        Assert.Equal(Accepted, h.State);
        h.Machine.Fire(Success, "200");

        Assert.Equal(2, h.TimesOf(TransactionAction.PassToTu).Count());
        Assert.Empty(h.TimesOf(TransactionAction.SendAck));
        h.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_the_transport_fails_Should_report_and_terminate()
    {
        var h = Start();
        h.Machine.Fire(TransportError);

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ReportTransportError));
    }

    [Fact]
    public void When_a_provisional_arrives_in_completed_Should_absorb_it()
    {
        var h = Start();
        h.Machine.Fire(Failure, "404");

        Assert.False(h.Machine.Fire(Provisional, "180"));
        Assert.Equal(Completed, h.State);
    }
}
