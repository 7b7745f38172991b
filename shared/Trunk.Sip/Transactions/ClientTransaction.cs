using Trunk.Sip.Messages;
using Trunk.Sip.Transport;
using static Trunk.Sip.Transactions.TransactionAction;

namespace Trunk.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1): INVITE or non-INVITE according to the request, driven by
/// <see cref="TransactionTables.InviteClient"/> or <see cref="TransactionTables.NonInviteClient"/>.
/// Responses and failures go to the callbacks given at creation.
/// </summary>
public sealed class ClientTransaction
{
    private readonly TransactionMachine<SipMessage> _machine;
    private readonly ISipSender _sender;
    private readonly Action<ClientTransaction, SipResponse> _onResponse;
    private readonly Action<ClientTransaction, TransactionFailure> _onFailure;
    private readonly Action<ClientTransaction> _onTerminated;

    internal ClientTransaction(SipRequest request, SipDestination destination, ClientTransactionKey key, ISipSender sender,
        SipTimers timers, TimeProvider time, Action<ClientTransaction, SipResponse> onResponse,
        Action<ClientTransaction, TransactionFailure> onFailure, Action<ClientTransaction> onTerminated)
    {
        Request = request;
        Destination = destination;
        Key = key;
        _sender = sender;
        _onResponse = onResponse;
        _onFailure = onFailure;
        _onTerminated = onTerminated;
        var table = request.Method == SipMethod.Invite ? TransactionTables.InviteClient : TransactionTables.NonInviteClient;
        _machine = new TransactionMachine<SipMessage>(table, timers, destination.Protocol.IsReliable(), time, Apply);
    }

    public SipRequest Request { get; }

    public SipDestination Destination { get; }

    public ClientTransactionKey Key { get; }

    public TransactionState State => _machine.State;

    internal void Start() => _machine.Fire(TransactionEvent.Start);

    internal void OnResponse(SipResponse response)
    {
        var input = response.IsProvisional ? TransactionEvent.Provisional
            : response.IsSuccess ? TransactionEvent.Success
            : TransactionEvent.Failure;
        _machine.Fire(input, response);
    }

    private void Apply(Transition row, SipMessage? message)
    {
        if ((row.Actions & SendRequest) != 0)
        {
            Send(Request);
        }

        if ((row.Actions & SendAck) != 0 && message is SipResponse failure)
        {
            Send(ClientRequests.AckForFailure(Request, failure));
        }

        if ((row.Actions & PassToTu) != 0 && message is SipResponse response)
        {
            _onResponse(this, response);
        }

        if ((row.Actions & ReportTimeout) != 0)
        {
            _onFailure(this, TransactionFailure.Timeout);
        }

        if ((row.Actions & ReportTransportError) != 0)
        {
            _onFailure(this, TransactionFailure.TransportError);
        }

        if (row.To == TransactionState.Terminated)
        {
            _onTerminated(this);
        }
    }

    private void Send(SipRequest request) => _ = SendAsync(request);

    private async Task SendAsync(SipRequest request)
    {
        try
        {
            await _sender.SendRequestAsync(request, Destination).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _machine.Fire(TransactionEvent.TransportError);
        }
    }
}
