using Trunk.Sip.Transactions;
using static Trunk.Sip.Transactions.TransactionEvent;
using static Trunk.Sip.Transactions.TransactionState;

namespace Trunk.Sip.Tests.Transactions;

public sealed class NonInviteServerTableTests
{
    private static MachineHarness Start(bool reliable = false) => MachineHarness.Started(TransactionTables.NonInviteServer, reliable);

    [Fact]
    public void When_the_request_is_retransmitted_in_trying_Should_discard_it()
    {
        var h = Start();

        Assert.False(h.Machine.Fire(RequestRetransmission, "BYE"));
        Assert.Single(h.TimesOf(TransactionAction.PassToTu));
    }

    [Fact]
    public void When_a_provisional_is_sent_Should_proceed_and_resend_it_on_retransmission()
    {
        var h = Start();
        h.Machine.Fire(TuProvisional, "100");
        h.Machine.Fire(RequestRetransmission, "BYE");
        h.Machine.Fire(TuProvisional, "180");

        Assert.Equal(Proceeding, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ResendResponse));
        Assert.Equal(2, h.TimesOf(TransactionAction.SendResponse).Count());
    }

    [Theory]
    [InlineData(TuSuccess, false)]
    [InlineData(TuFailure, false)]
    [InlineData(TuSuccess, true)]
    public void When_a_final_is_sent_Should_complete_resend_on_retransmission_and_end_after_timer_J(TransactionEvent final, bool proceeding)
    {
        var h = Start();
        if (proceeding)
        {
            h.Machine.Fire(TuProvisional, "100");
        }

        h.Machine.Fire(final, "final");
        h.Machine.Fire(RequestRetransmission, "BYE");
        Assert.False(h.Machine.Fire(TuSuccess, "late"));

        Assert.Single(h.TimesOf(TransactionAction.ResendResponse));
        h.Advance(TimeSpan.FromMilliseconds(31999));
        Assert.Equal(Completed, h.State);
        h.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_a_final_is_sent_over_tcp_Should_terminate_at_once()
    {
        var h = Start(reliable: true);
        h.Machine.Fire(TuSuccess, "200");

        Assert.Equal(Terminated, h.State);
    }

    [Fact]
    public void When_the_transport_fails_Should_report_and_terminate()
    {
        var h = Start();
        h.Machine.Fire(TuSuccess, "200");
        h.Machine.Fire(TransportError);

        Assert.Equal(Terminated, h.State);
        Assert.Single(h.TimesOf(TransactionAction.ReportTransportError));
    }
}
