using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transactions.TestMessages;

namespace Trunk.Sip.Tests.Transactions;

public sealed class ClientMatchingTests
{
    private static readonly SipDestination Udp = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly TransactionLayer _layer;
    private readonly List<SipResponse> _responses = [];
    private readonly List<TransactionFailure> _failures = [];

    public ClientMatchingTests()
    {
        _layer = new TransactionLayer(_sender, _clock, new SipTimers(), NullLogger.Instance) { User = _user };
    }

    private ClientTransaction Send(SipRequest request) =>
        _layer.Send(request, Udp, new CallbackOwner(_responses.Add, _failures.Add));

    [Fact]
    public void When_responses_arrive_Should_match_by_branch_and_cseq_method()
    {
        var invite = Request("INVITE", branch: "z9hG4bK-c1");
        Send(invite);
        _layer.OnResponse(Response(invite, 180), TestMessages.Udp);
        _layer.OnResponse(Response(Request("CANCEL", branch: "z9hG4bK-c1"), 200), TestMessages.Udp);
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-other"), 200), TestMessages.Udp);

        Assert.Equal([180], _responses.Select(r => r.StatusCode));
        Assert.Equal(2, _user.Strays.Count);
    }

    [Fact]
    public void When_a_failure_arrives_twice_Should_pass_it_up_once_and_ack_each_time()
    {
        var invite = Request("INVITE", branch: "z9hG4bK-c2");
        Send(invite);
        _layer.OnResponse(Response(invite, 486), TestMessages.Udp);
        _layer.OnResponse(Response(invite, 486), TestMessages.Udp);

        Assert.Single(_responses);
        var acks = _sender.Requests.Where(r => r.Method == SipMethod.Ack).ToArray();
        Assert.Equal(2, acks.Length);
        Assert.Equal("z9hG4bK-c2", acks[0].TopVia!.Branch);
        Assert.Equal("b1", acks[0].To!.Tag);
        Assert.Equal(new CSeqHeader(1, SipMethod.Ack), acks[0].CSeq);
    }

    [Fact]
    public void When_2xx_retransmissions_arrive_Should_pass_them_up_until_timer_M_then_as_strays()
    {
        var invite = Request("INVITE", branch: "z9hG4bK-c3");
        Send(invite);
        _layer.OnResponse(Response(invite, 200), TestMessages.Udp);
        _layer.OnResponse(Response(invite, 200), TestMessages.Udp);
        _clock.Advance(TimeSpan.FromSeconds(32));
        _layer.OnResponse(Response(invite, 200), TestMessages.Udp);

        Assert.Equal(2, _responses.Count);
        Assert.Single(_user.Strays);
        Assert.DoesNotContain(_sender.Requests, r => r.Method == SipMethod.Ack);
    }

    [Fact]
    public void When_timer_F_fires_Should_report_timeout_and_forget_the_transaction()
    {
        Send(Request("OPTIONS", branch: "z9hG4bK-c4"));
        _clock.Advance(TimeSpan.FromSeconds(32));

        Assert.Equal([TransactionFailure.Timeout], _failures);
        Assert.Equal(0, _layer.ClientTransactions);
    }

    [Fact]
    public void When_sending_fails_Should_report_a_transport_error()
    {
        _sender.Fail = true;
        Send(Request("OPTIONS", branch: "z9hG4bK-c5"));

        Assert.Equal([TransactionFailure.TransportError], _failures);
    }

    [Fact]
    public void When_an_ack_is_sent_as_a_transaction_Should_refuse_it() =>
        Assert.Throws<ArgumentException>(() => Send(Request("ACK", branch: "z9hG4bK-c6")));

    [Fact]
    public void When_a_cancel_is_built_Should_copy_the_invite_identity_and_branch()
    {
        var invite = Request("INVITE", branch: "z9hG4bK-c7", cseq: 5);
        var cancel = ClientRequests.Cancel(invite);

        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(invite.RequestUri, cancel.RequestUri);
        Assert.Equal("z9hG4bK-c7", cancel.TopVia!.Branch);
        Assert.Equal(new CSeqHeader(5, SipMethod.Cancel), cancel.CSeq);
        Assert.Equal(invite.CallId, cancel.CallId);
        Assert.Equal(invite.From, cancel.From);
    }
}
