using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Sip.Dialogs;

/// <summary>
/// The state of one dialog (RFC 3261 §12): its id, the local and remote sequence numbers, the
/// parties, the remote target and the route set; and the requests sent inside it (§12.2.1.1).
/// </summary>
public sealed class Dialog
{
    private readonly object _gate = new();
    private long _localSeq;
    private long? _remoteSeq;

    private Dialog(DialogId id, DialogState state, NameAddress localParty, NameAddress remoteParty, SipUri remoteTarget,
        IReadOnlyList<string> routeSet, SipUri localContact, long localSeq, long? remoteSeq, bool isUac)
    {
        Id = id;
        State = state;
        LocalParty = localParty.WithTag(id.LocalTag).ToString();
        RemoteParty = remoteParty.WithTag(id.RemoteTag).ToString();
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        LocalContact = localContact;
        _localSeq = localSeq;
        _remoteSeq = remoteSeq;
        IsUac = isUac;
    }

    public DialogId Id { get; }

    public DialogState State { get; private set; }

    public bool IsUac { get; }

    /// <summary>Where in-dialog requests go (§12.1.1, §12.1.2), refreshed by target-refresh requests (§12.2).</summary>
    public SipUri RemoteTarget { get; private set; }

    /// <summary>Route header values in the order they go on requests (§12.1.1, §12.1.2).</summary>
    public IReadOnlyList<string> RouteSet { get; private set; }

    public SipUri LocalContact { get; }

    public long LocalSequence => Interlocked.Read(ref _localSeq);

    public long? RemoteSequence => _remoteSeq;

    /// <summary>
    /// §12.1.2: the UAC's dialog from a 1xx with a To tag (early) or a 2xx (confirmed): route set is
    /// the Record-Route reversed, remote target the Contact, local sequence the request's CSeq.
    /// </summary>
    public static bool TryCreateAsUac(SipRequest request, SipResponse response, out Dialog? dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        dialog = null;
        if (response.StatusCode is <= 100 or >= 300 || response.To?.Tag is not { } remoteTag || request.From is not { Tag: { } localTag } from
            || request.To is not { } to || request.CallId is not { } callId || response.Contacts.FirstOrDefault()?.Address?.Uri is not { } target)
        {
            return false;
        }

        var routes = response.Headers.GetAll(SipHeaderNames.RecordRoute).SelectMany(SplitList).Reverse().ToArray();
        dialog = new Dialog(new DialogId(callId, localTag, remoteTag), response.IsSuccess ? DialogState.Confirmed : DialogState.Early,
            from, to.WithTag(remoteTag), target, routes, request.Contacts.FirstOrDefault()?.Address?.Uri ?? request.RequestUri,
            request.CSeq?.Number ?? 1, null, isUac: true);
        return true;
    }

    /// <summary>
    /// §12.1.1: the UAS's dialog from a request and our 1xx/2xx with a To tag: route set is the
    /// Record-Route in order, remote target the Contact, remote sequence the request's CSeq.
    /// </summary>
    public static bool TryCreateAsUas(SipRequest request, SipResponse response, SipUri localContact, out Dialog? dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        dialog = null;
        if (response.StatusCode is <= 100 or >= 300 || response.To is not { Tag: { } localTag } to || request.From is not { Tag: { } remoteTag } from
            || request.CallId is not { } callId || request.Contacts.FirstOrDefault()?.Address?.Uri is not { } target)
        {
            return false;
        }

        var routes = request.Headers.GetAll(SipHeaderNames.RecordRoute).SelectMany(SplitList).ToArray();
        dialog = new Dialog(new DialogId(callId, localTag, remoteTag), response.IsSuccess ? DialogState.Confirmed : DialogState.Early,
            to, from, target, routes, localContact, 0, request.CSeq?.Number, isUac: false);
        return true;
    }

    /// <summary>
    /// §12.2.1.2: a response to a request we sent in the dialog: a 2xx confirms an early dialog (and,
    /// §13.2.2.4, fixes its route set); a 2xx to a target refresh updates the remote target; 481/408 end it (§12.2.1.2).
    /// </summary>
    public void OnResponse(SipRequest request, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        lock (_gate)
        {
            if (response.StatusCode is 481 or 408)
            {
                State = DialogState.Terminated;
                return;
            }

            if (!response.IsSuccess)
            {
                return;
            }

            if (State == DialogState.Early && IsUac)
            {
                State = DialogState.Confirmed;
                RouteSet = [.. response.Headers.GetAll(SipHeaderNames.RecordRoute).SelectMany(SplitList).Reverse()];
            }

            if (IsTargetRefresh(request.Method) && response.Contacts.FirstOrDefault()?.Address?.Uri is { } target)
            {
                RemoteTarget = target;
            }

            if (request.Method == SipMethod.Bye)
            {
                State = DialogState.Terminated;
            }
        }
    }

    /// <summary>
    /// §12.2.2: checks an in-dialog request's CSeq against the remote sequence number and applies
    /// a target refresh (re-INVITE, UPDATE: §12.2, RFC 3311 §5.2). BYE ends the dialog (§15.1.2).
    /// </summary>
    public RemoteRequestCheck OnRemoteRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CallId != Id.CallId || request.From?.Tag != Id.RemoteTag || request.To?.Tag != Id.LocalTag)
        {
            return RemoteRequestCheck.NotThisDialog;
        }

        if (request.Method is SipMethod.Ack or SipMethod.Cancel)
        {
            return RemoteRequestCheck.Accepted;
        }

        lock (_gate)
        {
            var cseq = request.CSeq?.Number ?? 0;
            if (_remoteSeq is { } remote && cseq <= remote)
            {
                return RemoteRequestCheck.OutOfOrder;
            }

            _remoteSeq = cseq;
            if (IsTargetRefresh(request.Method) && request.Contacts.FirstOrDefault()?.Address?.Uri is { } target)
            {
                RemoteTarget = target;
            }

            if (request.Method == SipMethod.Bye)
            {
                State = DialogState.Terminated;
            }

            return RemoteRequestCheck.Accepted;
        }
    }

    /// <summary>A dialog ends when the BYE is sent or received (§15), or a 481/408 arrives.</summary>
    public void Terminate()
    {
        lock (_gate)
        {
            State = DialogState.Terminated;
        }
    }

    /// <summary>The next hop: the first Route when there is a route set, else the remote target (§12.2.1.1, §8.1.2).</summary>
    public bool TryGetDestination(out SipDestination destination)
    {
        var first = RouteSet.Count > 0 && NameAddress.TryParse(RouteSet[0], out var route) ? route.Uri : RemoteTarget;
        return SipDestination.TryFromUri(first, out destination);
    }

    internal long NextLocalSequence() => Interlocked.Increment(ref _localSeq);

    /// <summary>
    /// The From of our requests in the dialog: our party with our tag (§12.2.1.1), written once. A dialog lasts as long as
    /// its call, and a parsed address (with its URI and parameters) is what every collection that finds the call alive copies.
    /// </summary>
    internal string LocalParty { get; }

    /// <summary>The To of our requests in the dialog: the remote party with its tag (§12.2.1.1).</summary>
    internal string RemoteParty { get; }

    private static bool IsTargetRefresh(string method) => method is SipMethod.Invite or SipMethod.Update or SipMethod.Subscribe or SipMethod.Notify or SipMethod.Refer;

    private static IEnumerable<string> SplitList(string value)
    {
        var list = new List<NameAddress>();
        return NameAddress.TryParseList(value, list) ? list.Select(a => a.ToString()) : [value];
    }
}
