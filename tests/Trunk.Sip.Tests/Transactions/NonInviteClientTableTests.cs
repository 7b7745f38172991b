using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

public sealed class NonInviteClientTableTests
{
    private static MachineHarness Start(bool reliable = false) => MachineHarness.Started(TransactionTables.NonInviteClient, reliable);

    [Fact]
    public void When_started_over_udp_Should_retransmit_with_timer_E_capped_at_T2_until_timer_F()
    {
        var h = Start();
        h.Advance(TimeSpan.FromSeconds(40));

        var sends = h.TimesOf(TransactionAction.SendRequest).Select(t => t.TotalMilliseconds).ToArray();
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], sends);
        Assert.Equal(TimeSpan.FromSeconds(32), Assert.Single(h.TimesOf(TransactionAction.ReportTimeout)));
    }

    [Fact]
    public void When_proceeding_Should_let_the_running_timer_E_fire_then_retransmit_every_T2()
    {
        var h = Start();
        h.Machine.Fire(Provisional, "100");
        h.Advance(TimeSpan.FromSeconds(9));

        var sends = h.TimesOf(TransactionAction.SendRequest).Select(t => t.TotalSeconds).ToArray();
        Assert.Equal([0, 0.5, 4.5, 8.5], sends);
        Assert.Equal(Proceeding, h.State);
    }

    [Fact]
    public void When_timer_F_fires_in_proceeding_Should_report_timeout()
    {
        var h = Start();
        h.Machine.Fire(Provisional, "100");
        h.Advance(TimeSpan.FromSeconds(32));

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ReportTimeout));
    }

    [Theory]
    [InlineData(Success)]
    [InlineData(Failure)]
    public void When_a_final_arrives_Should_complete_absorb_retransmissions_and_end_after_timer_K(TransactionEvent final)
    {
        var h = Start();
        h.Machine.Fire(final, "final");
        Assert.Equal(Completed, h.State);

        Assert.False(h.Machine.Fire(final, "again"));
        h.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(Completed, h.State);
        h.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.PassToTu));
        Assert.Single(h.TimesOf(TransactionAction.SendRequest));
    }

    [Fact]
    public void When_a_final_arrives_over_tcp_Should_terminate_at_once()
    {
        var h = Start(reliable: true);
        h.Machine.Fire(Success, "200");

        Assert.Equal(Terminated, h.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void When_the_transport_fails_Should_report_and_terminate(bool proceeding)
    {
        var h = Start();
        if (proceeding)
        {
            h.Machine.Fire(Provisional, "100");
        }

        h.Machine.Fire(TransportError);

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ReportTransportError));
    }
}
