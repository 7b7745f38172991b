using System.Diagnostics;
using Trunk.Contracts;
using Trunk.Contracts.Policy;
using Trunk.Signaling.Commands;
using Trunk.Signaling.Tracing;
using Trunk.Signaling.Transfers;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Calls;

/// <summary>
/// One inbound call (ARCHITECTURE.md, Words): the caller leg and the legs we created for it, the transfer in
/// progress if any, and its SIP trace. State changes happen under <see cref="Gate"/>; I/O happens outside it.
/// </summary>
internal sealed class Call(
    Guid id, TrunkSettings trunk, IncomingRequest callerInvite, string callerNumber, string did, DateTimeOffset receivedAt, TraceChunkPool traceChunks)
{
    public object Gate { get; } = new();

    public Guid Id { get; } = id;

    public TrunkSettings Trunk { get; } = trunk;

    private IncomingRequest? _callerInvite = callerInvite;

    /// <summary>
    /// The caller's INVITE and its server transaction, until the caller has its 2xx (<see cref="ReleaseCallerInvite"/>):
    /// an answered call lasts minutes, and what it holds for them is copied by every collection that finds it alive.
    /// What the call reads of the INVITE later is kept on its own (<see cref="SipCallId"/>, <see cref="CallerOffer"/>).
    /// </summary>
    public IncomingRequest CallerInvite =>
        Volatile.Read(ref _callerInvite) ?? throw new InvalidOperationException($"Call {Id}: the caller's INVITE was answered and released.");

    /// <summary>The body of the caller's INVITE (its SDP offer, or empty), offered on as it is when media passes through.</summary>
    public ReadOnlyMemory<byte> CallerOffer { get; } = callerInvite.Request.Body;

    /// <summary>The Content-Type of <see cref="CallerOffer"/>.</summary>
    public string? CallerOfferType { get; } = callerInvite.Request.ContentType;

    public string SipCallId { get; } = callerInvite.Request.CallId ?? string.Empty;

    public string CallerNumber { get; } = callerNumber;

    public string Did { get; } = did;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset? AnsweredAt { get; set; }

    public Leg Caller { get; } = new(LegSide.Caller, new(callerInvite.Peer.Protocol, callerInvite.Peer.Remote));

    public Leg? Endpoint { get; set; }

    public Leg? Target { get; set; }

    public Transfer? Transfer { get; set; }

    /// <summary>True once caller and target talk to each other; the endpoint is then out of the call.</summary>
    public bool Bridged { get; set; }

    public bool Ended { get; set; }

    public SipTraceBuffer Trace { get; } = new(traceChunks);

    /// <summary>The saga's commands for this call, in order (<see cref="Commands.CallCommandConsumer"/>).</summary>
    public CommandLane Commands { get; } = new();

    /// <summary>
    /// Anchored media: the queue of the Media instance that holds the call, known from the caller leg's allocation;
    /// null while media passes through (the trunk's media mode, or a caller INVITE without an offer).
    /// </summary>
    public string? MediaQueue { get; set; }

    public bool MediaAnchored => MediaQueue is not null;

    /// <summary>The legs Media holds ports for, each released once.</summary>
    public HashSet<LegSide> MediaLegs { get; } = [];

    /// <summary>Anchored media: the offer Media made for the endpoint leg, sent to every termination URI tried.</summary>
    public ReadOnlyMemory<byte> EndpointMediaOffer { get; set; }

    /// <summary>The call's trace (its inbound INVITE's span): later requests and events of the call join it.</summary>
    public ActivityContext TraceContext { get; set; }

    /// <summary>Drops the caller's INVITE once its 2xx is out: nothing responds to it any more.</summary>
    public void ReleaseCallerInvite() => Volatile.Write(ref _callerInvite, null);

    public Leg? LegOf(LegSide side) => side switch
    {
        LegSide.Caller => Caller,
        LegSide.Endpoint => Endpoint,
        _ => Target,
    };

    /// <summary>The leg the caller talks to: the target once bridged, else the endpoint.</summary>
    public Leg? PeerOfCaller => Bridged ? Target : Endpoint;
}
