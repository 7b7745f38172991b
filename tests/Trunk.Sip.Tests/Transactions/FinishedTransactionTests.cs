using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trunk.Sip.Messages;
using Trunk.Sip.Tests.Interop;
using Trunk.Sip.Tests.Transport;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;
using static Trunk.Sip.Tests.Transactions.TestMessages;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>
/// A transaction past its final response lingers up to 64*T1 only to absorb retransmissions (RFC 3261 §17, RFC 6026):
/// it answers them from what it kept (the bytes of its last response, the bytes of its ACK) and keeps neither the parsed
/// request nor the parsed response, which under load would all reach generation 2 (bench/results/b2bua.md).
/// </summary>
public sealed class FinishedTransactionTests
{
    private static readonly SipDestination Endpoint = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly TransactionLayer _layer;
    private readonly List<int> _codes = [];

    public FinishedTransactionTests()
    {
        _layer = new TransactionLayer(_sender, _clock, new SipTimers(), NullLogger.Instance) { User = _user };
    }

    [Fact]
    public void When_a_non_invite_is_retransmitted_after_its_final_Should_resend_the_same_bytes_from_a_transaction_that_kept_no_message()
    {
        var (request, response) = Answer("BYE", 200, "Reason: SIP;text=\"kept as sent\"");
        _layer.OnRequest(Request("BYE"), Udp);
        _layer.OnRequest(Request("BYE"), Udp);

        Assert.Equal(1, _layer.ServerTransactions);
        var texts = _sender.Texts;
        Assert.Equal(3, texts.Length);
        Assert.All(texts, text => Assert.Equal(texts[0], text));
        Assert.Contains("Reason: SIP;text=\"kept as sent\"", texts[0], StringComparison.Ordinal);
        AssertCollected(request, response);
    }

    [Fact]
    public void When_a_non_invite_is_retransmitted_just_before_timer_J_Should_still_resend_its_final_and_be_gone_at_64_T1()
    {
        Answer("BYE", 200);
        _clock.Advance(TimeSpan.FromMilliseconds(31_999));
        _layer.OnRequest(Request("BYE"), Udp);

        Assert.Equal(2, _sender.Texts.Length);
        Assert.Equal(_sender.Texts[0], _sender.Texts[1]);
        Assert.Equal(1, _layer.ServerTransactions);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _layer.ServerTransactions);
        Assert.Single(_user.Requests);
    }

    [Fact]
    public void When_a_failure_to_an_invite_waits_for_its_ack_Should_resend_the_same_bytes_on_retransmission_and_timer_G()
    {
        var (request, response) = Answer("INVITE", 486, "Retry-After: 30");
        _layer.OnRequest(Request("INVITE"), Udp);
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        var finals = _sender.Texts.Where(t => t.StartsWith("SIP/2.0 486", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, finals.Length);
        Assert.All(finals, text => Assert.Equal(finals[0], text));
        Assert.Contains("Retry-After: 30", finals[0], StringComparison.Ordinal);
        Assert.Equal(TransactionState.Completed, _user.Requests[0].State);
        AssertCollected(request, response);
    }

    [Fact]
    public void When_the_ack_confirms_a_failure_Should_absorb_later_retransmissions_and_keep_nothing_to_send()
    {
        var (request, response) = Answer("INVITE", 486);
        _layer.OnRequest(Request("ACK", toTag: "b1"), Udp);
        var sent = _sender.Packets.Count;
        _layer.OnRequest(Request("INVITE"), Udp);
        _clock.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(TransactionState.Confirmed, _user.Requests[0].State);
        Assert.Equal(sent, _sender.Packets.Count);
        Assert.Null(_user.Requests[0].LastResponse);
        AssertCollected(request, response);
    }

    [Fact]
    public void When_a_2xx_is_accepted_Should_absorb_invite_retransmissions_and_still_hand_up_an_ack_on_its_branch()
    {
        var (request, response) = Answer("INVITE", 200);
        var sent = _sender.Packets.Count;
        _layer.OnRequest(Request("INVITE"), Udp);
        _layer.OnRequest(Request("ACK", toTag: "b1"), Udp);

        var transaction = _user.Requests[0];
        Assert.Equal(TransactionState.Accepted, transaction.State);
        Assert.Equal(sent, _sender.Packets.Count);
        Assert.Single(_user.Acks);
        Assert.Null(transaction.LastResponse);
        Assert.Throws<InvalidOperationException>(() => transaction.Request);
        AssertCollected(request, response);
    }

    [Fact]
    public void When_a_cancel_arrives_after_the_final_Should_answer_200_with_the_final_response_to_tag()
    {
        Answer("INVITE", 486, toTag: "ours");
        _layer.OnRequest(Request("CANCEL"), Udp);

        var cancelOk = _sender.Responses.Single(r => r.CSeq!.Method == SipMethod.Cancel);
        Assert.Equal(200, cancelOk.StatusCode);
        Assert.Equal("ours", cancelOk.To!.Tag);
    }

    [Fact]
    public void When_a_failure_to_our_invite_is_retransmitted_Should_send_the_same_ack_bytes_from_a_transaction_that_kept_no_message()
    {
        var (request, response) = SendAndFail(486, "rejecting");
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 486, toTag: "rejecting"), Udp);
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 486, toTag: "rejecting"), Udp);

        Assert.Equal([486], _codes);
        Assert.Equal(1, _layer.ClientTransactions);
        var acks = _sender.Texts.Where(t => t.StartsWith("ACK ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, acks.Length);
        Assert.All(acks, text => Assert.Equal(acks[0], text));
        var ack = (SipRequest)Parse(acks[0]);
        Assert.Equal("z9hG4bK-out", ack.TopVia!.Branch);
        Assert.Equal("rejecting", ack.To!.Tag);
        Assert.Equal(new CSeqHeader(1, SipMethod.Ack), ack.CSeq);
        AssertCollected(request, response);
    }

    [Fact]
    public void When_our_invite_is_retransmitted_Should_send_the_bytes_that_went_out_first()
    {
        _layer.Send(Request("INVITE", branch: "z9hG4bK-again"), Endpoint, new CallbackOwner(r => _codes.Add(r.StatusCode)));
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        _clock.Advance(TimeSpan.FromMilliseconds(1000));

        var texts = _sender.Texts;
        Assert.Equal(3, texts.Length);
        Assert.All(texts, text => Assert.Equal(texts[0], text));
    }

    [Fact]
    public void When_our_invite_is_accepted_Should_hand_2xx_retransmissions_up_until_timer_M_without_keeping_the_invite()
    {
        var request = SendInvite();
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 200), Udp);
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 200), Udp);

        Assert.Equal([200, 200], _codes);
        Assert.Equal(1, _layer.ClientTransactions);
        AssertCollected(request);
        _clock.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(0, _layer.ClientTransactions);
    }

    [Fact]
    public void When_our_invite_is_accepted_Should_hand_later_2xx_to_the_owners_successor_and_let_go_of_the_owner()
    {
        var later = new List<int>();
        var owner = SendInviteOwnedBy(new CallbackOwner(r => later.Add(r.StatusCode)));
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 200), Udp);
        _layer.OnResponse(Response(Request("INVITE", branch: "z9hG4bK-out"), 200), Udp);

        Assert.Equal([200], _codes);
        Assert.Equal([200], later);
        Assert.Equal(1, _layer.ClientTransactions);
        Assert.True(Collected(owner), "a finished transaction still holds the owner of its request");
    }

    [Fact]
    public async Task When_the_stack_gets_a_2xx_again_after_the_final_Should_hand_it_to_the_tu_as_a_stray_from_the_destination()
    {
        await using var stack = Stacks.Create();
        var strays = new List<(SipResponse Response, SipPeer Peer)>();
        stack.OnStrayResponse = (response, peer) =>
        {
            lock (strays)
            {
                strays.Add((response, peer));
            }
        };
        stack.Start();
        using var endpoint = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var destination = new SipDestination(SipTransportProtocol.Udp, (IPEndPoint)endpoint.Client.LocalEndPoint!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var sending = stack.SendAsync(Request("INVITE", branch: "z9hG4bK-again"), destination);
        var received = await endpoint.ReceiveAsync(timeout.Token);
        var ok = ((SipRequest)SipMessageParser.Parse(received.Buffer)).CreateResponse(200, toTag: "e2").ToBytes();
        await endpoint.SendAsync(ok, received.RemoteEndPoint, timeout.Token);
        Assert.Equal(200, (await sending.WaitAsync(timeout.Token)).StatusCode);
        await endpoint.SendAsync(ok, received.RemoteEndPoint, timeout.Token);

        Assert.True(await LoopbackClient.EventuallyAsync(() => { lock (strays) { return strays.Count == 1; } }, TimeSpan.FromSeconds(2)),
            "the retransmitted 2xx did not reach the TU");
        Assert.Equal(200, strays[0].Response.StatusCode);
        Assert.Equal("e2", strays[0].Response.To!.Tag);
        Assert.Equal(destination.EndPoint, strays[0].Peer.Remote);
        Assert.Equal(1, stack.Transactions.ClientTransactions);
    }

    [Fact]
    public async Task When_the_stack_has_the_final_response_to_our_invite_Should_let_go_of_it_and_of_the_provisional_callback()
    {
        await using var stack = Stacks.Create();
        stack.Start();
        using var endpoint = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var (response, reachedByCallback) = await SendThroughStackAsync(stack, endpoint);

        Assert.Equal(1, stack.Transactions.ClientTransactions);
        // The receive worker that completed the request may still be returning through its call chain, the response on its stack.
        Assert.True(await LoopbackClient.EventuallyAsync(() => Collected(response, reachedByCallback), TimeSpan.FromSeconds(2)),
            "the stack still holds the response or the provisional callback of a request that has its final response");
        Assert.Equal(1, stack.Transactions.ClientTransactions);
    }

    /// <summary>Sends an INVITE through a stack to a socket that answers 180 then 200; weak references to the 200 and to what the provisional callback reached.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Response, WeakReference ReachedByCallback)> SendThroughStackAsync(SipStack stack, UdpClient endpoint)
    {
        var reached = new List<int>();
        var destination = new SipDestination(SipTransportProtocol.Udp, (IPEndPoint)endpoint.Client.LocalEndPoint!);
        var sending = stack.SendAsync(Request("INVITE", branch: "z9hG4bK-stack"), destination, provisional => reached.Add(provisional.StatusCode));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await endpoint.ReceiveAsync(timeout.Token);
        var invite = (SipRequest)SipMessageParser.Parse(received.Buffer);
        await endpoint.SendAsync(invite.CreateResponse(180, toTag: "e1").ToBytes(), received.RemoteEndPoint, timeout.Token);
        await endpoint.SendAsync(invite.CreateResponse(200, toTag: "e1").ToBytes(), received.RemoteEndPoint, timeout.Token);
        var response = await sending.WaitAsync(timeout.Token);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal([180], reached);
        return (new WeakReference(response), new WeakReference(reached));
    }

    /// <summary>Answers the next request with a response of its own and returns weak references to both.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (WeakReference Request, WeakReference Response) Answer(string method, int status, string? header = null, string toTag = "b1")
    {
        var response = new WeakReference(null);
        _user.Answer = t =>
        {
            var answer = Response(t.Request, status, toTag);
            if (header is not null)
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                answer = answer.WithHeaders(answer.Headers.Add(header[..colon], header[(colon + 2)..]));
            }

            response.Target = answer;
            t.TrySendResponse(answer);
        };
        var request = Request(method);
        _layer.OnRequest(request, Udp);
        _user.Answer = null;
        return (new WeakReference(request), response);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference SendInvite()
    {
        var request = Request("INVITE", branch: "z9hG4bK-out");
        _layer.Send(request, Endpoint, new CallbackOwner(r => _codes.Add(r.StatusCode)));
        return new WeakReference(request);
    }

    /// <summary>Sends our INVITE owned by a recording owner whose successor is <paramref name="successor"/>; a weak reference to that owner.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference SendInviteOwnedBy(IClientTransactionOwner successor)
    {
        var owner = new CallbackOwner(r => _codes.Add(r.StatusCode), successor: successor);
        _layer.Send(Request("INVITE", branch: "z9hG4bK-out"), Endpoint, owner);
        return new WeakReference(owner);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private (WeakReference Request, WeakReference Response) SendAndFail(int status, string toTag)
    {
        var request = SendInvite();
        var response = Response(Request("INVITE", branch: "z9hG4bK-out"), status, toTag);
        _layer.OnResponse(response, Udp);
        return (request, new WeakReference(response));
    }

    private static void AssertCollected(params WeakReference[] messages) =>
        Assert.True(Collected(messages), "a finished transaction still holds a parsed message");

    private static bool Collected(params WeakReference[] references)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return references.All(reference => !reference.IsAlive);
    }
}
