using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Transactions;

/// <summary>
/// The facade that wires transport and transaction layer: handlers for incoming requests, and
/// requests sent with their responses awaited. The dialog layer builds on it.
/// </summary>
public sealed class SipStack : ITransactionUser, IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly SuccessRetransmitter _successes;
    private readonly LaterResponses _laterResponses;

    public SipStack(SipStackOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger<SipStack>();
        Transport = new SipTransportLayer(options.Transport, time, loggers.CreateLogger<SipTransportLayer>());
        Transactions = new TransactionLayer(Transport, time, options.Timers, loggers.CreateLogger<TransactionLayer>()) { User = this };
        _successes = new SuccessRetransmitter(time, options.Timers);
        _laterResponses = new LaterResponses(this);
    }

    public SipStackOptions Options { get; }

    public SipTransportLayer Transport { get; }

    public TransactionLayer Transactions { get; }

    /// <summary>Handles each new request; without one, requests get 501 (§8.2.1 would be 405 per method).</summary>
    public Func<IncomingRequest, Task>? OnRequest { get; set; }

    /// <summary>Receives ACKs for 2xx (§13.3.1.4): the dialog layer confirms its dialog on them.</summary>
    public Action<SipRequest, SipPeer>? OnAck { get; set; }

    /// <summary>Receives 2xx retransmissions and forked 2xx after the INVITE transaction (§13.2.2.4): the UAC ACKs them again.</summary>
    public Action<SipResponse, SipPeer>? OnStrayResponse { get; set; }

    /// <summary>Told when a server transaction times out (Timer H) or cannot send (§17.2.4).</summary>
    public Action<ServerTransaction, TransactionFailure>? OnTransactionFailure { get; set; }

    /// <summary>2xx responses still being retransmitted while waiting for their ACK.</summary>
    public int UnacknowledgedSuccesses => _successes.Count;

    public void Start() => Transport.Start(Transactions);

    /// <summary>Our Contact URI for a transport (§8.1.1.8).</summary>
    public SipUri ContactUri(SipTransportProtocol protocol)
    {
        var sentBy = Transport.SentBy(protocol) ?? Transport.SentBy(SipTransportProtocol.Udp)!;
        var uri = SipUri.Parse($"sip:{Options.ContactUser}@{sentBy}");
        return protocol == SipTransportProtocol.Tcp ? SipUri.Parse($"{uri};transport=tcp") : uri;
    }

    /// <summary>
    /// Sends a request in a new client transaction and returns its final response. The stack adds
    /// our Via with a fresh branch and <c>rport</c> (§8.1.1.7, RFC 3581 §3); <paramref name="onSending"/>
    /// sees the request as it goes out, Via included (for a trace of what was sent). A timeout yields a
    /// local 408 and a transport failure a local 503 (§8.1.3.1). For INVITE, the caller ACKs a 2xx.
    /// </summary>
    public Task<SipResponse> SendAsync(SipRequest request, SipDestination destination, Action<SipResponse>? onProvisional = null,
        Action<SipRequest>? onSending = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var withVia = request.WithHeaders(request.Headers.AddFirst(SipHeaderNames.Via, NewVia(destination.Protocol)));
        onSending?.Invoke(withVia);
        return SendInTransactionAsync(withVia, destination, onProvisional, cancellationToken);
    }

    private string NewVia(SipTransportProtocol protocol)
    {
        var sentBy = Transport.SentBy(protocol) ?? throw new InvalidOperationException($"No {protocol.ToViaToken()} listen point.");
        return $"SIP/2.0/{protocol.ToViaToken()} {sentBy};branch={SipIds.NewBranch()};rport";
    }

    /// <summary>Sends a CANCEL for an INVITE sent by <see cref="SendAsync"/> (§9.1), using the INVITE as it went out.</summary>
    public Task<SipResponse> CancelAsync(SipRequest sentInvite, SipDestination destination, CancellationToken cancellationToken = default) =>
        SendInTransactionAsync(ClientRequests.Cancel(sentInvite), destination, null, cancellationToken);

    /// <summary>
    /// Sends an ACK for a 2xx outside any transaction (§13.2.2.4, §17.1.1.3), with its own Via branch;
    /// <paramref name="onSending"/> sees it as it goes out.
    /// </summary>
    public async ValueTask SendAckAsync(SipRequest ack, SipDestination destination, Action<SipRequest>? onSending = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var withVia = ack.WithHeaders(ack.Headers.AddFirst(SipHeaderNames.Via, NewVia(destination.Protocol)));
        onSending?.Invoke(withVia);
        await Transport.SendRequestAsync(withVia, destination, cancellationToken)
            .ConfigureAwait(false);
    }

    private Task<SipResponse> SendInTransactionAsync(SipRequest request, SipDestination destination, Action<SipResponse>? onProvisional,
        CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new PendingRequest(_laterResponses, completion, request, onProvisional, cancellationToken);
        Transactions.Send(request, destination, pending);
        return completion.Task;
    }

    /// <summary>§8.1.3.1: a timeout is treated as 408 and a transport error as 503.</summary>
    private static SipResponse LocalFailure(SipRequest request, TransactionFailure failure) =>
        request.CreateResponse(failure == TransactionFailure.Timeout ? 408 : 503);

    /// <summary>
    /// A request awaiting its final response. At the final response it lets go of the request, the caller's provisional
    /// callback (and what it reaches, a whole call) and the completion (its task holds the response), and the transaction,
    /// which lingers 32 s after it (Timers D, M), hands over to the stack's <see cref="LaterResponses"/>.
    /// </summary>
    private sealed class PendingRequest : IClientTransactionOwner
    {
        private readonly LaterResponses _later;
        private TaskCompletionSource<SipResponse>? _completion;
        private SipRequest? _request;
        private Action<SipResponse>? _onProvisional;
        private CancellationTokenRegistration _registration;

        public PendingRequest(LaterResponses later, TaskCompletionSource<SipResponse> completion, SipRequest request,
            Action<SipResponse>? onProvisional, CancellationToken cancellationToken)
        {
            _later = later;
            _completion = completion;
            _request = request;
            _onProvisional = onProvisional;
            _registration = cancellationToken.Register(() => Take()?.TrySetCanceled(cancellationToken));
        }

        public void OnResponse(ClientTransaction transaction, SipResponse response)
        {
            if (response.IsProvisional)
            {
                Volatile.Read(ref _onProvisional)?.Invoke(response);
            }
            else if (Take() is { } completion)
            {
                completion.TrySetResult(response);
            }
            else
            {
                // The caller gave up (its cancellation token) before the final response: the final is a stray.
                _later.OnResponse(transaction, response);
            }
        }

        public IClientTransactionOwner Successor => _later;

        public void OnFailure(ClientTransaction transaction, TransactionFailure failure)
        {
            var request = Volatile.Read(ref _request);
            if (request is not null && Take() is { } completion)
            {
                completion.TrySetResult(LocalFailure(request, failure));
            }
        }

        private TaskCompletionSource<SipResponse>? Take()
        {
            var completion = Interlocked.Exchange(ref _completion, null);
            if (completion is not null)
            {
                Volatile.Write(ref _request, null);
                Volatile.Write(ref _onProvisional, null);
                _registration.Dispose();
            }

            return completion;
        }
    }

    /// <summary>
    /// What a client transaction passes up after its request's final response (RFC 6026 §8.4: later 2xx in Accepted,
    /// retransmissions or forks): the TU gets them as strays, from the transaction's destination. One for the stack.
    /// </summary>
    private sealed class LaterResponses(SipStack stack) : IClientTransactionOwner
    {
        public IClientTransactionOwner Successor => this;

        public void OnResponse(ClientTransaction transaction, SipResponse response)
        {
            var from = transaction.Destination;
            stack.OnStrayResponse?.Invoke(response, new SipPeer(from.Protocol, from.EndPoint, from.EndPoint));
        }

        public void OnFailure(ClientTransaction transaction, TransactionFailure failure)
        {
            // The request's caller has its answer, and the transport logged the send that failed.
        }
    }

    internal bool Respond(ServerTransaction transaction, SipResponse response)
    {
        if (!transaction.TrySendResponse(response))
        {
            return false;
        }

        if (transaction.IsInvite && response.IsSuccess)
        {
            var callId = transaction.CallId;
            _successes.Start(response, r => transaction.TrySendResponse(r), () => _logger.NoAckForSuccess(callId));
        }

        return true;
    }

    void ITransactionUser.OnRequest(ServerTransaction transaction)
    {
        var incoming = new IncomingRequest(this, transaction);
        if (SipRequestValidator.Validate(incoming.Request, Options.Validation) is { } failure)
        {
            // §8.2: a request that fails the UAS checks is answered here and never reaches the handler.
            incoming.Respond(failure.CreateResponse(incoming.Request, incoming.LocalTag));
            return;
        }

        if (OnRequest is not { } handler)
        {
            incoming.Respond(501);
            return;
        }

        // Outside the transaction's lock, so that the handler's responses go out in the order it sends them.
        _ = Task.Run(() => RunHandlerAsync(handler, incoming));
    }

    private async Task RunHandlerAsync(Func<IncomingRequest, Task> handler, IncomingRequest incoming)
    {
        try
        {
            await handler(incoming).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An application handler's failure becomes a 500, never a dead receive loop.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(exception, incoming.Request.Method, incoming.Request.CallId);
            incoming.Respond(500);
        }
    }

    void ITransactionUser.OnAck(SipRequest ack, SipPeer peer, ServerTransaction? transaction)
    {
        _successes.Acknowledge(ack);
        OnAck?.Invoke(ack, peer);
    }

    void ITransactionUser.OnStrayResponse(SipResponse response, SipPeer peer) => OnStrayResponse?.Invoke(response, peer);

    void ITransactionUser.OnServerFailure(ServerTransaction transaction, TransactionFailure failure) =>
        OnTransactionFailure?.Invoke(transaction, failure);

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
