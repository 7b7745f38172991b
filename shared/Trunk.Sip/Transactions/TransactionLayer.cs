using Microsoft.Extensions.Logging;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Transactions;

/// <summary>
/// Matches incoming messages to transactions (RFC 3261 §17.1.3, §17.2.3), creates server
/// transactions for new requests, answers CANCEL (§9.2) and hands everything else to the TU.
/// </summary>
public sealed class TransactionLayer : ISipMessageSink, IServerTransactionOwner
{
    private readonly TransactionTable<ServerTransactionKey, ServerTransaction> _servers = new();
    private readonly TransactionTable<ClientTransactionKey, ClientTransaction> _clients = new();
    private readonly ISipSender _sender;
    private readonly TransactionClock _clock;
    private readonly SipTimers _timers;
    private readonly ILogger _logger;

    /// <summary>Every client transaction's end, one delegate for all (a lingering transaction keeps it 32 s).</summary>
    private readonly Action<ClientTransaction> _removeClient;

    private ITransactionUser? _user;

    public TransactionLayer(ISipSender sender, TimeProvider time, SipTimers timers, ILogger logger)
    {
        _sender = sender;
        _clock = new TransactionClock(time);
        _timers = timers;
        _logger = logger;
        _removeClient = t => _clients.Remove(t.Key, t);
    }

    public int ServerTransactions => _servers.Count;

    public int ClientTransactions => _clients.Count;

    /// <summary>The TU that receives requests; set once, before the transport starts.</summary>
    public ITransactionUser User
    {
        get => _user ?? throw new InvalidOperationException("TransactionLayer.User must be set before messages arrive.");
        set => _user = value;
    }

    /// <summary>Starts a client transaction for a request whose top Via carries a fresh branch (§8.1.1.7).</summary>
    public ClientTransaction Send(SipRequest request, SipDestination destination, IClientTransactionOwner owner)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(owner);
        if (request.Method == SipMethod.Ack || !ClientTransactionKey.TryCreate(request, out var key))
        {
            throw new ArgumentException("A client transaction needs a non-ACK request with a Via branch and a CSeq.", nameof(request));
        }

        var transaction = new ClientTransaction(request, destination, key, _sender, _timers, _clock, owner, _removeClient);
        if (!_clients.TryAdd(key, transaction))
        {
            throw new ArgumentException($"A client transaction with branch {key.Branch} and method {key.Method} exists.", nameof(request));
        }

        transaction.Start();
        return transaction;
    }

    public void OnResponse(SipResponse response, SipPeer peer)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (ClientTransactionKey.TryCreate(response, out var key) && _clients.TryGetValue(key, out var transaction))
        {
            transaction.OnResponse(response);
            return;
        }

        User.OnStrayResponse(response, peer);
    }

    public void OnRequest(SipRequest request, SipPeer peer)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ServerTransactionKey.TryCreate(request, out var key))
        {
            return;
        }

        var existing = Find(key, request);
        if (request.Method == SipMethod.Ack)
        {
            if (existing is { State: TransactionState.Completed or TransactionState.Confirmed or TransactionState.Accepted })
            {
                existing.OnAck(request);
            }
            else
            {
                User.OnAck(request, peer, null);
            }

            return;
        }

        if (existing is not null)
        {
            existing.OnRetransmission(request);
            return;
        }

        var transaction = new ServerTransaction(request, peer, key, _sender, _timers, _clock, this);
        if (!_servers.TryAdd(key, transaction))
        {
            // A retransmission raced the original (§17.2.3 still applies): it joins the winner.
            Find(key, request)?.OnRetransmission(request);
            return;
        }

        transaction.Start();
    }

    private ServerTransaction? Find(ServerTransactionKey key, SipRequest request) =>
        _servers.TryGetValue(key, out var found) && (!key.IsRfc2543 || found.MatchesToTag(request)) ? found : null;

    void IServerTransactionOwner.OnRequest(ServerTransaction transaction)
    {
        if (transaction.Request.Method == SipMethod.Cancel)
        {
            Cancel(transaction, transaction.Request);
            return;
        }

        User.OnRequest(transaction);
    }

    /// <summary>
    /// §9.2: find the transaction the CANCEL names (§17.2.3 with the method taken as INVITE); 481
    /// when none; otherwise 200 to the CANCEL and, if no final response went out, 487 to the INVITE.
    /// </summary>
    private void Cancel(ServerTransaction cancel, SipRequest request)
    {
        var target = ServerTransactionKey.TryCreate(request, out var key, SipMethod.Invite) ? Find(key, request) : null;
        if (target is null)
        {
            cancel.TrySendResponse(request.CreateResponse(481));
            return;
        }

        var toTag = target.ResponseToTag ?? SipIds.NewTag();
        cancel.TrySendResponse(request.CreateResponse(200, toTag: toTag));
        if (target.TryCancel() && target.ActiveRequest is { } invite)
        {
            _logger.Cancelled(target.CallId);
            target.TrySendResponse(invite.CreateResponse(487, toTag: toTag));
        }
    }

    void IServerTransactionOwner.OnAck(ServerTransaction transaction, SipRequest ack) => User.OnAck(ack, transaction.Peer, transaction);

    void IServerTransactionOwner.OnFailure(ServerTransaction transaction, TransactionFailure failure)
    {
        _logger.ServerFailed(transaction.Key.Method, transaction.CallId, failure);
        User.OnServerFailure(transaction, failure);
    }

    void IServerTransactionOwner.OnTerminated(ServerTransaction transaction) =>
        _servers.Remove(transaction.Key, transaction);
}
