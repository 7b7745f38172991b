using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using static Trunk.Sip.Tests.Transactions.TestMessages;

namespace Trunk.Sip.Tests.Transactions;

public sealed class ServerMatchingTests
{
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly TransactionLayer _layer;

    public ServerMatchingTests()
    {
        _layer = new TransactionLayer(_sender, _clock, new SipTimers(), NullLogger.Instance) { User = _user };
    }

    [Fact]
    public void When_an_invite_is_retransmitted_Should_pass_it_up_once_and_resend_the_100()
    {
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("INVITE"), Udp);

        Assert.Single(_user.Requests);
        Assert.Equal([100, 100], _sender.Codes);
    }

    [Fact]
    public void When_a_non_invite_is_retransmitted_after_its_final_Should_resend_the_final()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 200));
        _layer.OnRequest(Request("OPTIONS"), Udp);
        _layer.OnRequest(Request("OPTIONS"), Udp);

        Assert.Single(_user.Requests);
        Assert.Equal([200, 200], _sender.Codes);
    }

    [Fact]
    public void When_the_same_branch_comes_from_another_sent_by_Should_be_a_new_transaction()
    {
        _layer.OnRequest(Request("OPTIONS"), Udp);
        _layer.OnRequest(Request("OPTIONS", sentBy: "127.0.0.9:5070"), Udp);

        Assert.Equal(2, _user.Requests.Count);
    }

    [Fact]
    public void When_the_ack_for_a_failure_arrives_Should_confirm_the_transaction_without_telling_the_TU()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 486));
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("ACK", toTag: "b1"), Udp);

        Assert.Empty(_user.Acks);
        Assert.Equal(TransactionState.Confirmed, _user.Requests[0].State);
    }

    [Fact]
    public void When_the_ack_for_a_2xx_arrives_with_its_own_branch_Should_go_to_the_TU()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 200));
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("ACK", branch: "z9hG4bK-ack", toTag: "b1"), Udp);

        Assert.Single(_user.Acks);
        Assert.Equal(TransactionState.Accepted, _user.Requests[0].State);
    }

    [Fact]
    public void When_an_rfc2543_invite_is_retransmitted_Should_match_without_a_branch()
    {
        _layer.OnRequest(Request("INVITE", branch: ""), Udp);
        _layer.OnRequest(Request("INVITE", branch: ""), Udp);

        Assert.Single(_user.Requests);
        Assert.Equal(1, _layer.ServerTransactions);
    }

    [Fact]
    public void When_an_rfc2543_branch_lacks_the_magic_cookie_Should_match_on_the_request_identity()
    {
        _layer.OnRequest(Request("INVITE", branch: "old-style-1"), Udp);
        _layer.OnRequest(Request("INVITE", branch: "old-style-1", cseq: 2), Udp);

        Assert.Equal(2, _user.Requests.Count);
    }

    [Fact]
    public void When_an_rfc2543_ack_carries_the_tag_of_our_failure_Should_match_the_invite()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 486, toTag: "ours"));
        _layer.OnRequest(Request("INVITE", branch: ""), Udp);
        _layer.OnRequest(Request("ACK", branch: "", toTag: "other"), Udp);
        Assert.Single(_user.Acks);

        _layer.OnRequest(Request("ACK", branch: "", toTag: "ours"), Udp);

        Assert.Single(_user.Acks);
        Assert.Equal(TransactionState.Confirmed, _user.Requests[0].State);
    }

    [Fact]
    public void When_a_cancel_matches_a_proceeding_invite_Should_answer_200_and_487_and_signal_the_TU()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 180, toTag: "ringing"));
        var sent = Request("INVITE");
        _layer.OnRequest(sent, Udp);
        _layer.OnRequest(Request("CANCEL"), Udp);

        var invite = Assert.Single(_user.Requests);
        Assert.True(invite.Cancelled.IsCancellationRequested);
        Assert.Equal([100, 180, 200, 487], _sender.Codes.Order());
        var responses = _sender.Responses.ToArray();
        Assert.Equal(200, responses.Single(r => r.CSeq!.Method == "CANCEL").StatusCode);
        Assert.Equal("ringing", responses.Single(r => r.StatusCode == 487).To!.Tag);
        Assert.Equal(TransactionState.Completed, invite.State);
        Assert.False(invite.TrySendResponse(Response(sent, 200)));
    }

    [Fact]
    public void When_a_cancel_matches_nothing_Should_answer_481()
    {
        _layer.OnRequest(Request("CANCEL"), Udp);

        Assert.Equal([481], _sender.Codes);
        Assert.Empty(_user.Requests);
    }

    [Fact]
    public void When_a_cancel_arrives_after_the_final_Should_answer_200_only()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 200));
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("CANCEL"), Udp);

        Assert.Equal([100, 200, 200], _sender.Codes);
        Assert.False(_user.Requests[0].Cancelled.IsCancellationRequested);
    }

    [Fact]
    public void When_a_cancel_is_retransmitted_Should_resend_its_200()
    {
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("CANCEL"), Udp);
        _layer.OnRequest(Request("CANCEL"), Udp);

        Assert.Equal([100, 200, 200, 487], _sender.Codes.Order());
    }

    [Fact]
    public void When_an_rfc2543_cancel_arrives_Should_match_the_invite_by_its_identity()
    {
        _layer.OnRequest(Request("INVITE", branch: ""), Udp);
        _layer.OnRequest(Request("CANCEL", branch: ""), Udp);

        Assert.Equal([100, 200, 487], _sender.Codes.Order());
    }

    [Fact]
    public void When_a_transaction_terminates_Should_forget_it()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 200));
        _layer.OnRequest(Request("OPTIONS"), Tcp);

        Assert.Equal(0, _layer.ServerTransactions);
    }

    [Fact]
    public void When_no_ack_arrives_for_a_failure_Should_report_timer_H_to_the_TU()
    {
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 486));
        _layer.OnRequest(Request("INVITE"), Tcp);
        _clock.Advance(TimeSpan.FromSeconds(32));

        Assert.Equal([TransactionFailure.Timeout], _user.Failures);
        Assert.Equal(0, _layer.ServerTransactions);
    }

    [Fact]
    public void When_sending_fails_Should_report_a_transport_error()
    {
        _sender.Fail = true;
        _user.Answer = t => t.TrySendResponse(Response(t.Request, 200));
        _layer.OnRequest(Request("OPTIONS"), Udp);

        Assert.Contains(TransactionFailure.TransportError, _user.Failures);
    }
}
