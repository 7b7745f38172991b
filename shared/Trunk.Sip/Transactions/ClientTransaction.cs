using Trunk.Sip.Messages;
using Trunk.Sip.Transport;
using static Trunk.Sip.Transactions.TransactionAction;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1): INVITE or non-INVITE according to the request, driven by
/// <see cref="TransactionTables.InviteClient"/> or <see cref="TransactionTables.NonInviteClient"/>.
/// Responses and failures go to the <see cref="IClientTransactionOwner"/> given at creation.
/// </summary>
/// <remarks>
/// The request is serialised once and retransmitted as it went out. Once a final response arrived the transaction
/// lingers (Timers D, K, M) only to absorb or acknowledge retransmissions: it then keeps its key and, after a 300–699
/// to an INVITE, the wire form of its ACK (§17.1.1.2: each retransmitted final response is ACKed again), never the
/// parsed request or response (bench/results/b2bua.md).
/// </remarks>
public sealed class ClientTransaction : TransactionMachine<SipMessage>
{
    private readonly ISipSender _sender;
    private IClientTransactionOwner _owner;
    private readonly Action<ClientTransaction> _onTerminated;
    private SipRequest? _request;
    private SipPacket? _sent;
    private SipPacket? _ack;

    internal ClientTransaction(SipRequest request, SipDestination destination, ClientTransactionKey key, ISipSender sender,
        SipTimers timers, TransactionClock clock, IClientTransactionOwner owner, Action<ClientTransaction> onTerminated)
        : base(request.Method == SipMethod.Invite ? TransactionTables.InviteClient : TransactionTables.NonInviteClient, timers,
            destination.Protocol.IsReliable(), clock)
    {
        _request = request;
        Destination = destination;
        Key = key;
        _sender = sender;
        _owner = owner;
        _onTerminated = onTerminated;
    }

    /// <summary>
    /// The request, until a final response arrives; <see cref="InvalidOperationException"/> afterwards (a finished
    /// transaction does not keep it).
    /// </summary>
    public SipRequest Request => Volatile.Read(ref _request)
        ?? throw new InvalidOperationException($"The {Key.Method} transaction has its final response and no longer keeps the request.");

    public SipDestination Destination { get; }

    public ClientTransactionKey Key { get; }

    /// <summary>The ACK this transaction sends again for each retransmitted 300–699 (INVITE, Completed), else null.</summary>
    internal SipPacket? Ack => Volatile.Read(ref _ack);

    internal void Start() => Fire(TransactionEvent.Start);

    internal void OnResponse(SipResponse response)
    {
        var input = response.IsProvisional ? TransactionEvent.Provisional
            : response.IsSuccess ? TransactionEvent.Success
            : TransactionEvent.Failure;
        Fire(input, response);
    }

    private protected override void Apply(Transition row, SipMessage? message)
    {
        // The final response and what ends the transaction go to the owner of the moment; Finish hands it over.
        var owner = _owner;
        if ((row.Actions & SendRequest) != 0)
        {
            SendTheRequest();
        }

        if ((row.Actions & SendAck) != 0 && message is SipResponse failure)
        {
            AcknowledgeFailure(failure);
        }

        if (row.To is TransactionState.Completed or TransactionState.Accepted or TransactionState.Terminated)
        {
            Finish(row.To);
        }

        if ((row.Actions & PassToTu) != 0 && message is SipResponse response)
        {
            owner.OnResponse(this, response);
        }

        if ((row.Actions & ReportTimeout) != 0)
        {
            owner.OnFailure(this, TransactionFailure.Timeout);
        }

        if ((row.Actions & ReportTransportError) != 0)
        {
            owner.OnFailure(this, TransactionFailure.TransportError);
        }

        if (row.To == TransactionState.Terminated)
        {
            _onTerminated(this);
        }
    }

    /// <summary>
    /// After the final response nothing reads the request again; only Completed keeps the ACK it resends. What the
    /// transaction passes up from then on (later 2xx in Accepted) goes to the owner's successor.
    /// </summary>
    private void Finish(TransactionState state)
    {
        _owner = _owner.Successor;
        Volatile.Write(ref _request, null);
        Volatile.Write(ref _sent, null);
        if (state != TransactionState.Completed)
        {
            Volatile.Write(ref _ack, null);
        }
    }

    private void SendTheRequest()
    {
        if (Volatile.Read(ref _sent) is { } sent)
        {
            Send(sent);
        }
        else if (Volatile.Read(ref _request) is { } request && Prepare(request) is { } packet)
        {
            Volatile.Write(ref _sent, packet);
            Send(packet);
        }
    }

    private void AcknowledgeFailure(SipResponse failure)
    {
        // §17.1.1.3: the ACK takes the response's To tag, the same for every retransmission of that response.
        if (Volatile.Read(ref _ack) is null && Volatile.Read(ref _request) is { } request)
        {
            Volatile.Write(ref _ack, Prepare(ClientRequests.AckForFailure(request, failure)));
        }

        if (Volatile.Read(ref _ack) is { } ack)
        {
            Send(ack);
        }
    }

    private SipPacket? Prepare(SipRequest request)
    {
        try
        {
            return _sender.PrepareRequest(request, Destination);
        }
        catch (InvalidOperationException)
        {
            // Too large to send: a transport error (§17.1.4), queued by the machine after this transition.
            Fire(TransactionEvent.TransportError);
            return null;
        }
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
