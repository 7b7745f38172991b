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

    public SipStack(SipStackOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger<SipStack>();
        Transport = new SipTransportLayer(options.Transport, time, loggers.CreateLogger<SipTransportLayer>());
        Transactions = new TransactionLayer(Transport, time, options.Timers, loggers.CreateLogger<TransactionLayer>()) { User = this };
        _successes = new SuccessRetransmitter(time, options.Timers);
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
    /// our Via with a fresh branch and <c>rport</c> (§8.1.1.7, RFC 3581 §3). A timeout yields a
    /// local 408 and a transport failure a local 503 (§8.1.3.1). For INVITE, the caller ACKs a 2xx.
    /// </summary>
    public Task<SipResponse> SendAsync(SipRequest request, SipDestination destination, Action<SipResponse>? onProvisional = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var withVia = request.WithHeaders(request.Headers.AddFirst(SipHeaderNames.Via, NewVia(destination.Protocol)));
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

    /// <summary>Sends an ACK for a 2xx outside any transaction (§13.2.2.4, §17.1.1.3), with its own Via branch.</summary>
    public async ValueTask SendAckAsync(SipRequest ack, SipDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var withVia = ack.WithHeaders(ack.Headers.AddFirst(SipHeaderNames.Via, NewVia(destination.Protocol)));
        await Transport.SendRequestAsync(withVia, destination, cancellationToken)
            .ConfigureAwait(false);
    }

    private Task<SipResponse> SendInTransactionAsync(SipRequest request, SipDestination destination, Action<SipResponse>? onProvisional,
        CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        Transactions.Send(request, destination,
            (_, response) =>
            {
                if (response.IsProvisional)
                {
                    onProvisional?.Invoke(response);
                    return;
                }

                // The transaction lingers 32 s after its final response (Timers D, M): it must not keep the caller's
                // callback, and what that reaches (a whole call), alive that long.
                onProvisional = null;
                if (!completion.TrySetResult(response))
                {
                    // RFC 6026 §8.4: later 2xx in Accepted (retransmissions, forks) go to the TU as strays.
                    OnStrayResponse?.Invoke(response, new SipPeer(destination.Protocol, destination.EndPoint, destination.EndPoint));
                }
            },
            (transaction, failure) => completion.TrySetResult(LocalFailure(transaction.Request, failure)));
        _ = completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        return completion.Task;
    }

    /// <summary>§8.1.3.1: a timeout is treated as 408 and a transport error as 503.</summary>
    private static SipResponse LocalFailure(SipRequest request, TransactionFailure failure) =>
        request.CreateResponse(failure == TransactionFailure.Timeout ? 408 : 503);

    internal bool Respond(ServerTransaction transaction, SipResponse response)
    {
        if (!transaction.TrySendResponse(response))
        {
            return false;
        }

        if (transaction.IsInvite && response.IsSuccess)
        {
            _successes.Start(response, r => transaction.TrySendResponse(r),
                () => _logger.NoAckForSuccess(transaction.Request.CallId));
        }

        return true;
    }

    void ITransactionUser.OnRequest(ServerTransaction transaction)
    {
        var incoming = new IncomingRequest(this, transaction);
        if (SipRequestValidator.Validate(transaction.Request, Options.Validation) is { } failure)
        {
            // §8.2: a request that fails the UAS checks is answered here and never reaches the handler.
            incoming.Respond(failure.CreateResponse(transaction.Request, incoming.LocalTag));
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
