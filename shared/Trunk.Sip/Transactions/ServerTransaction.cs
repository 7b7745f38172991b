using Trunk.Sip.Messages;
using Trunk.Sip.Transport;
using static Trunk.Sip.Transactions.TransactionAction;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2): INVITE or non-INVITE according to the request, driven
/// by <see cref="TransactionTables.InviteServer"/> or <see cref="TransactionTables.NonInviteServer"/>.
/// The TU answers through <see cref="TrySendResponse"/>.
/// </summary>
/// <remarks>
/// Once the final response is out the transaction lingers (Timers J, L, I; up to 64*T1) only to absorb
/// retransmissions: from then on it keeps its key, the wire form of the response it may have to send again
/// (Completed) and the tags that match an RFC 2543 ACK, never the parsed request or response. Thousands of
/// finished transactions are alive at any time under load, and each kept message went to generation 2
/// (bench/results/b2bua.md).
/// </remarks>
public sealed class ServerTransaction : TransactionMachine<SipMessage>
{
    private readonly ISipSender _sender;
    private readonly IServerTransactionOwner _owner;
    private CancellationTokenSource? _cancelled;
    private readonly string? _requestToTag;
    private SipRequest? _request;
    private SipPacket? _lastResponse;
    private string? _responseToTag;

    internal ServerTransaction(SipRequest request, SipPeer peer, ServerTransactionKey key, ISipSender sender,
        SipTimers timers, TransactionClock clock, IServerTransactionOwner owner)
        : base(request.Method == SipMethod.Invite ? TransactionTables.InviteServer : TransactionTables.NonInviteServer, timers,
            peer.Protocol.IsReliable(), clock)
    {
        _request = request;
        Peer = peer;
        Key = key;
        CallId = request.CallId;
        _sender = sender;
        _owner = owner;
        _requestToTag = key.IsRfc2543 ? request.To?.Tag : null;
        IsInvite = request.Method == SipMethod.Invite;
        _cancelled = IsInvite ? new CancellationTokenSource() : null;
    }

    /// <summary>
    /// The request, until the final response is sent; <see cref="InvalidOperationException"/> afterwards (a finished
    /// transaction does not keep it).
    /// </summary>
    public SipRequest Request => ActiveRequest
        ?? throw new InvalidOperationException($"The {Key.Method} transaction has sent its final response and no longer keeps the request.");

    public SipPeer Peer { get; }

    public ServerTransactionKey Key { get; }

    /// <summary>The request's Call-ID (for logs), kept after the request is released.</summary>
    public string? CallId { get; }

    public bool IsInvite { get; }

    /// <summary>
    /// Signalled when a CANCEL matched this INVITE before its final response (§9.2); never for other methods, and
    /// <see cref="CancellationToken.None"/> once a final response went out without a CANCEL.
    /// </summary>
    public CancellationToken Cancelled => Volatile.Read(ref _cancelled)?.Token ?? CancellationToken.None;

    /// <summary>The request while no final response went out, else null.</summary>
    internal SipRequest? ActiveRequest => Volatile.Read(ref _request);

    /// <summary>The To tag of the last response sent (the tag a CANCEL's 200 and 487 reuse, §9.2).</summary>
    internal string? ResponseToTag => Volatile.Read(ref _responseToTag);

    /// <summary>The last response sent, in its wire form, while the transaction may send it again.</summary>
    internal SipPacket? LastResponse => Volatile.Read(ref _lastResponse);

    /// <summary>
    /// Hands a response to the transaction (§17.2.1, §17.2.2). False when the state does not take it,
    /// e.g. a second final response, or any response after a CANCEL's 487.
    /// </summary>
    public bool TrySendResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var input = response.IsProvisional ? TransactionEvent.TuProvisional
            : response.IsSuccess ? TransactionEvent.TuSuccess
            : TransactionEvent.TuFailure;
        return Fire(input, response);
    }

    internal void Start() => Fire(TransactionEvent.Start, ActiveRequest);

    internal void OnRetransmission(SipRequest request) => Fire(TransactionEvent.RequestRetransmission, request);

    internal void OnAck(SipRequest ack) => Fire(TransactionEvent.Ack, ack);

    /// <summary>§17.2.3 (RFC 2543 fallback): a request matches only with the original To tag; an ACK with the tag we sent.</summary>
    internal bool MatchesToTag(SipRequest request)
    {
        var expected = request.Method == SipMethod.Ack ? ResponseToTag : _requestToTag;
        return string.Equals(expected, request.To?.Tag, StringComparison.Ordinal);
    }

    /// <summary>Signals cancellation (§9.2) if no final response went out yet; true when it did.</summary>
    internal bool TryCancel()
    {
        var cancelled = Volatile.Read(ref _cancelled);
        if (cancelled is null || State != TransactionState.Proceeding)
        {
            return false;
        }

        cancelled.Cancel();
        return true;
    }

    private protected override void Apply(Transition row, SipMessage? message)
    {
        if ((row.Actions & SendTrying) != 0 && ActiveRequest is { } request)
        {
            // §17.2.1: a retransmitted INVITE gets the latest provisional again, the 100 included.
            Send(request.CreateResponse(100));
        }

        if ((row.Actions & SendResponse) != 0 && message is SipResponse response)
        {
            Send(response);
        }

        if ((row.Actions & ResendResponse) != 0 && LastResponse is { } last)
        {
            Send(last);
        }

        if ((row.Actions & PassToTu) != 0)
        {
            PassUp(row, message);
        }

        if (row.To != TransactionState.Proceeding && row.To != TransactionState.Trying)
        {
            Finish(row.To);
        }

        if ((row.Actions & ReportTimeout) != 0)
        {
            _owner.OnFailure(this, TransactionFailure.Timeout);
        }

        if ((row.Actions & ReportTransportError) != 0)
        {
            _owner.OnFailure(this, TransactionFailure.TransportError);
        }

        if (row.To == TransactionState.Terminated)
        {
            _owner.OnTerminated(this);
        }
    }

    /// <summary>
    /// Past Proceeding the request is never read again; only Completed resends its final response (on a retransmitted
    /// request and Timer G). Accepted absorbs retransmissions (the TU retransmits its 2xx, RFC 6026 §8.7) and Confirmed
    /// absorbs ACKs, so neither keeps a response. An INVITE answered without a CANCEL can no longer be cancelled: its
    /// cancellation source (with the registrations the TU made and disposed on it) goes too. The To tag of the response
    /// is read only for an INVITE (a CANCEL's answers, an RFC 2543 ACK), so any other request's goes.
    /// </summary>
    private void Finish(TransactionState state)
    {
        Volatile.Write(ref _request, null);
        if (!IsInvite)
        {
            Volatile.Write(ref _responseToTag, null);
        }

        if (Volatile.Read(ref _cancelled) is { IsCancellationRequested: false })
        {
            Volatile.Write(ref _cancelled, null);
        }

        if (state != TransactionState.Completed)
        {
            Volatile.Write(ref _lastResponse, null);
        }
    }

    private void PassUp(Transition row, SipMessage? message)
    {
        if (row.On == TransactionEvent.Start)
        {
            _owner.OnRequest(this);
        }
        else if (message is SipRequest ack)
        {
            _owner.OnAck(this, ack);
        }
    }

    private void Send(SipResponse response)
    {
        SipPacket packet;
        try
        {
            packet = _sender.PrepareResponse(response, Peer);
        }
        catch (InvalidOperationException)
        {
            // Too large to send: a transport error (§17.2.4), queued by the machine after this transition.
            Fire(TransactionEvent.TransportError);
            return;
        }

        Volatile.Write(ref _lastResponse, packet);
        Volatile.Write(ref _responseToTag, response.To?.Tag);
        Send(packet);
    }

    private void Send(SipPacket packet) => _ = SendAsync(packet);

    private async Task SendAsync(SipPacket packet)
    {
        try
        {
            await _sender.SendAsync(packet).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fire(TransactionEvent.TransportError);
        }
    }
}
