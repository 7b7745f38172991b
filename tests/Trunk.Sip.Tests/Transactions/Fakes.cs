using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Trunk.Sip.Messages;
using Trunk.Sip.Transactions;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Tests.Transactions;

/// <summary>A transport double: records what the transaction layer sends, parsed back from the bytes it sent.</summary>
internal sealed class RecordingSender : ISipSender
{
    public ConcurrentQueue<SipRequest> Requests { get; } = new();

    public ConcurrentQueue<SipResponse> Responses { get; } = new();

    /// <summary>Every packet sent, in order, as the transport would have put it on the wire.</summary>
    public ConcurrentQueue<SipPacket> Packets { get; } = new();

    public bool Fail { get; set; }

    public SipPacket PrepareRequest(SipRequest request, SipDestination destination) => new(request.ToBytes(), destination, null);

    public SipPacket PrepareResponse(SipResponse response, SipPeer receivedFrom) =>
        new(response.ToBytes(), ResponseRouting.Destination(response.TopVia, receivedFrom), receivedFrom.Local);

    public ValueTask SendAsync(SipPacket packet, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        }

        Packets.Enqueue(packet);
        switch (SipMessageParser.Parse(packet.Bytes.Span))
        {
            case SipRequest request:
                Requests.Enqueue(request);
                break;
            case SipResponse response:
                Responses.Enqueue(response);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public string? SentBy(SipTransportProtocol protocol) => "127.0.0.1:5060";

    public int[] Codes => [.. Responses.Select(r => r.StatusCode)];

    /// <summary>The wire text of every packet sent, in order.</summary>
    public string[] Texts => [.. Packets.Select(p => Encoding.UTF8.GetString(p.Bytes.Span))];
}

/// <summary>A TU double: records what the transaction layer hands up.</summary>
internal sealed class RecordingUser : ITransactionUser
{
    public List<ServerTransaction> Requests { get; } = [];

    public List<SipRequest> Acks { get; } = [];

    public List<SipResponse> Strays { get; } = [];

    public List<TransactionFailure> Failures { get; } = [];

    public Action<ServerTransaction>? Answer { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        Requests.Add(transaction);
        Answer?.Invoke(transaction);
    }

    public void OnAck(SipRequest ack, SipPeer peer, ServerTransaction? transaction) => Acks.Add(ack);

    public void OnStrayResponse(SipResponse response, SipPeer peer) => Strays.Add(response);

    public void OnServerFailure(ServerTransaction transaction, TransactionFailure failure) => Failures.Add(failure);
}

internal static class TestMessages
{
    public static readonly SipPeer Udp = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070), new IPEndPoint(IPAddress.Loopback, 5060));

    public static readonly SipPeer Tcp = Udp with { Protocol = SipTransportProtocol.Tcp };

    public static SipRequest Request(string method, string branch = "z9hG4bK-1", long cseq = 1, string? toTag = null,
        string cseqMethod = "", string sentBy = "127.0.0.1:5070", string callId = "call-1@test")
    {
        var via = branch.Length == 0 ? $"SIP/2.0/UDP {sentBy}" : $"SIP/2.0/UDP {sentBy};branch={branch}";
        var to = toTag is null ? "<sip:bob@127.0.0.1>" : $"<sip:bob@127.0.0.1>;tag={toTag}";
        var text = $"{method} sip:bob@127.0.0.1 SIP/2.0\r\nVia: {via}\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\n" +
            $"To: {to}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {(cseqMethod.Length > 0 ? cseqMethod : method)}\r\n" +
            "Contact: <sip:alice@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest)Parse(text);
    }

    public static SipResponse Response(SipRequest request, int status, string? toTag = "b1") => request.CreateResponse(status, toTag: toTag);

    public static SipMessage Parse(string text) =>
        SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out var message, out var error)
            ? message
            : throw new InvalidOperationException(error.Reason);
}
