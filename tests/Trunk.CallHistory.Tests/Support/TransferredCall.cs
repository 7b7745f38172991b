using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Media;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;

namespace Trunk.CallHistory.Tests.Support;

/// <summary>
/// The events of one realistic call, as the services publish them: the caller rings a DID, the endpoint answers and
/// REFERs the caller to a target, the target answers, the caller is bridged and hangs up. Other endings of the same
/// call are below it.
/// </summary>
public sealed class TransferredCall
{
    public const string Caller = "+15551230001";
    public const string Target = "+442071234567";
    public const string Reason = "Q.850;cause=16;text=\"Normal call clearing\"";

    public TransferredCall(DateTimeOffset start, string did)
    {
        Start = start;
        Did = did;
    }

    public Guid CallId { get; } = Guid.NewGuid();

    public Guid TransferId { get; } = Guid.NewGuid();

    public Guid TrunkId { get; } = Guid.NewGuid();

    public Guid AccountId { get; } = Guid.NewGuid();

    public DateTimeOffset Start { get; }

    public string Did { get; }

    public CallReceived Received => new(
        CallId, At(0), "signaling-1", "signaling-1", "a-leg@carrier", Caller, Did, TrunkId, AccountId, "127.0.0.1:5070");

    public IReadOnlyList<ICallEvent> Events =>
    [
        Received,
        new EndpointDialled(CallId, At(10), "signaling-1", "sip:pbx@127.0.0.1:5080", 1, "b-leg@trunk"),
        new SipMessagesTraced(CallId, At(900), "signaling-1",
        [
            Sip(0, LegSide.Caller, SipDirection.Received, "INVITE sip:" + Did + "@trunk.example SIP/2.0"),
            Sip(10, LegSide.Endpoint, SipDirection.Sent, "INVITE sip:pbx@127.0.0.1:5080 SIP/2.0"),
            Sip(400, LegSide.Endpoint, SipDirection.Received, "SIP/2.0 200 OK"),
            Sip(405, LegSide.Caller, SipDirection.Sent, "SIP/2.0 200 OK"),
        ]),
        new CallAnswered(CallId, At(400), "signaling-1", "sip:pbx@127.0.0.1:5080", TimeSpan.FromMilliseconds(390)),
        Refer(5_000),
        new TransferAccepted(CallId, At(5_020), "transfer-1", TransferId),
        new FundsReserved(CallId, At(5_030), "policy-1", TransferId, AccountId, 1.20m),
        new TargetDialled(CallId, At(5_040), "signaling-1", TransferId, Target, "c-leg@trunk"),
        new TargetRinging(CallId, At(5_500), "signaling-1", TransferId, 180, EarlyMedia: false),
        new TargetAnswered(CallId, At(8_000), "signaling-1", TransferId),
        new CallBridged(CallId, At(8_050), "media-1", TransferId),
        new TransferCompleted(CallId, At(8_060), "transfer-1", TransferId, TimeSpan.FromMilliseconds(3_060)),
        new LegHungUp(CallId, At(8_070), "signaling-1", LegSide.Endpoint, null, 200, null),
        new SipMessagesTraced(CallId, At(9_000), "signaling-1",
        [
            Sip(5_000, LegSide.Endpoint, SipDirection.Received, "REFER sip:trunk.example SIP/2.0"),
            Sip(5_025, LegSide.Endpoint, SipDirection.Sent, "SIP/2.0 202 Accepted"),
            Sip(5_040, LegSide.Target, SipDirection.Sent, "INVITE sip:" + Target + "@127.0.0.1:5090 SIP/2.0"),
            Sip(8_000, LegSide.Target, SipDirection.Received, "SIP/2.0 200 OK"),
        ]),
        new MediaStats(CallId, At(60_000), "media-1", LegSide.Caller, 2_900, 464_000, 3, 1.5, At(59_990)),
        new LegHungUp(CallId, At(60_000), "signaling-1", LegSide.Caller, LegSide.Caller, 200, Reason),
        new LegHungUp(CallId, At(60_010), "signaling-1", LegSide.Target, LegSide.Caller, 200, null),
        new CallEnded(CallId, At(60_020), "signaling-1", TimeSpan.FromSeconds(59.6), "caller_hangup", 200, null),
    ];

    /// <summary>The same caller meets a busy endpoint: the call never answers.</summary>
    public IReadOnlyList<ICallEvent> EndpointBusy =>
    [
        Received,
        new EndpointDialled(CallId, At(10), "signaling-1", "sip:pbx@127.0.0.1:5080", 1, "b-leg@trunk"),
        new LegHungUp(CallId, At(300), "signaling-1", LegSide.Endpoint, LegSide.Endpoint, 486, null),
        new CallEnded(CallId, At(310), "signaling-1", TimeSpan.Zero, "endpoint_rejected", 486, null),
    ];

    /// <summary>The target never answers, the caller's leg then goes silent and a service hangs up.</summary>
    public IReadOnlyList<ICallEvent> UnansweredTransferThenSilence =>
    [
        Received,
        new EndpointDialled(CallId, At(10), "signaling-1", "sip:pbx@127.0.0.1:5080", 1, "b-leg@trunk"),
        new CallAnswered(CallId, At(400), "signaling-1", "sip:pbx@127.0.0.1:5080", TimeSpan.FromMilliseconds(390)),
        Refer(5_000),
        new TransferAccepted(CallId, At(5_020), "transfer-1", TransferId),
        new TargetDialled(CallId, At(5_040), "signaling-1", TransferId, Target, "c-leg@trunk"),
        new TargetFailed(CallId, At(35_040), "signaling-1", TransferId, 480, "Temporarily Unavailable"),
        new TransferFailed(CallId, At(35_050), "transfer-1", TransferId, 480, "No answer before the ring timeout"),
        new NoAudioDetected(CallId, At(65_000), "media-1", LegSide.Caller, TimeSpan.FromSeconds(30)),
        new CallEnded(CallId, At(65_010), "signaling-1", TimeSpan.FromSeconds(64.6), "commanded_hangup", 200, null),
    ];

    /// <summary>Policy denies the transfer for want of a geo permission; the caller later hangs up.</summary>
    public IReadOnlyList<ICallEvent> GeoDeniedTransfer =>
    [
        Received,
        new EndpointDialled(CallId, At(10), "signaling-1", "sip:pbx@127.0.0.1:5080", 1, "b-leg@trunk"),
        new CallAnswered(CallId, At(400), "signaling-1", "sip:pbx@127.0.0.1:5080", TimeSpan.FromMilliseconds(390)),
        Refer(5_000),
        new TransferPolicyDenied(CallId, At(5_030), "transfer-1", TransferId, 403, "no geo permission for GB"),
        new LegHungUp(CallId, At(20_000), "signaling-1", LegSide.Caller, LegSide.Caller, 200, Reason),
        new CallEnded(CallId, At(20_010), "signaling-1", TimeSpan.FromSeconds(19.6), "caller_hangup", 200, 16),
    ];

    public DateTimeOffset At(int milliseconds) => Start.AddMilliseconds(milliseconds);

    private ReferReceived Refer(int milliseconds) => new(
        CallId, At(milliseconds), "signaling-1", TransferId, "signaling-1", AccountId, TrunkId, Caller, Target,
        "trunk.example", "<sip:agent@pbx.example>", 2, NotifyRequested: true);

    private TracedSipMessage Sip(int milliseconds, LegSide leg, SipDirection direction, string startLine) => new(
        At(milliseconds), leg, direction, "UDP", "127.0.0.1:5060", leg == LegSide.Caller ? "127.0.0.1:5070" : "127.0.0.1:5080",
        startLine + "\r\nCall-ID: " + leg + "@test\r\nContent-Length: 0\r\n\r\n");
}
