using Trunk.Sip.Messages;
using Trunk.Sip.Transport;
using static Trunk.Sip.Transactions.TransactionAction;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2): INVITE or non-INVITE according to the request, driven
/// by <see cref="TransactionTables.InviteServer"/> or <see cref="TransactionTables.NonInviteServer"/>.
/// The TU answers through <see cref="TrySendResponse"/>.
/// </summary>
public sealed class ServerTransaction
{
    private readonly TransactionMachine<SipMessage> _machine;
    private readonly ISipSender _sender;
    private readonly IServerTransactionOwner _owner;
    private readonly CancellationTokenSource _cancelled = new();
    private SipResponse? _lastResponse;

    internal ServerTransaction(SipRequest request, SipPeer peer, ServerTransactionKey key, ISipSender sender,
        SipTimers timers, TimeProvider time, IServerTransactionOwner owner)
    {
        Request = request;
        Peer = peer;
        Key = key;
        _sender = sender;
        _owner = owner;
        IsInvite = request.Method == SipMethod.Invite;
        var table = IsInvite ? TransactionTables.InviteServer : TransactionTables.NonInviteServer;
        _machine = new TransactionMachine<SipMessage>(table, timers, peer.Protocol.IsReliable(), time, Apply);
    }

    public SipRequest Request { get; }

    public SipPeer Peer { get; }

    public ServerTransactionKey Key { get; }

    public bool IsInvite { get; }

    public TransactionState State => _machine.State;

    /// <summary>The last response sent (for retransmissions, and the To tag a CANCEL's 487 reuses).</summary>
    public SipResponse? LastResponse => Volatile.Read(ref _lastResponse);

    /// <summary>Signalled when a CANCEL matched this INVITE before its final response (§9.2).</summary>
    public CancellationToken Cancelled => _cancelled.Token;

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
        return _machine.Fire(input, response);
    }

    internal void Start() => _machine.Fire(TransactionEvent.Start, Request);

    internal void OnRetransmission(SipRequest request) => _machine.Fire(TransactionEvent.RequestRetransmission, request);

    internal void OnAck(SipRequest ack) => _machine.Fire(TransactionEvent.Ack, ack);

    /// <summary>§17.2.3 (RFC 2543 fallback): a request matches only with the original To tag; an ACK with the tag we sent.</summary>
    internal bool MatchesToTag(SipRequest request)
    {
        var expected = request.Method == SipMethod.Ack ? LastResponse?.To?.Tag : Request.To?.Tag;
        return string.Equals(expected, request.To?.Tag, StringComparison.Ordinal);
    }

    /// <summary>Signals cancellation (§9.2) if no final response went out yet; true when it did.</summary>
    internal bool TryCancel()
    {
        if (!IsInvite || State != TransactionState.Proceeding)
        {
            return false;
        }

        _cancelled.Cancel();
        return true;
    }

    private void Apply(Transition row, SipMessage? message)
    {
        if ((row.Actions & SendTrying) != 0)
        {
            // §17.2.1: a retransmitted INVITE gets the latest provisional again, the 100 included.
            var trying = Request.CreateResponse(100);
            Volatile.Write(ref _lastResponse, trying);
            Send(trying);
        }

        if ((row.Actions & SendResponse) != 0 && message is SipResponse response)
        {
            Volatile.Write(ref _lastResponse, response);
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

    private void Send(SipResponse response) => _ = SendAsync(response);

    private async Task SendAsync(SipResponse response)
    {
        try
        {
            await _sender.SendResponseAsync(response, Peer).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _machine.Fire(TransactionEvent.TransportError);
        }
    }
}
