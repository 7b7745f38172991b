using Trunk.Contracts;
using Trunk.Signaling.Media;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using Trunk.Sip.Transport;

namespace Trunk.Signaling.Calls;

/// <summary>One leg of a call: where it goes, its dialog once formed, and, for our INVITEs, the request as sent.</summary>
internal sealed class Leg(LegSide side, SipDestination destination)
{
    public LegSide Side { get; } = side;

    /// <summary>Where the leg's initial INVITE went (or came from).</summary>
    public SipDestination Destination { get; } = destination;

    public Dialog? Dialog { get; set; }

    /// <summary>
    /// Our INVITE with the Via it went out with (from its first provisional response), needed to CANCEL it (§9.1) until it
    /// is answered (<see cref="Answer"/>).
    /// </summary>
    public SipRequest? SentInvite { get; set; }

    /// <summary>A CANCEL is due as soon as a provisional response makes it possible (§9.1).</summary>
    public bool CancelRequested { get; set; }

    /// <summary>The SDP this leg's party last answered or offered.</summary>
    public ReadOnlyMemory<byte> RemoteSdp { get; set; }

    /// <summary>Anchored media: the SDP Media gave this leg (its answer to the leg's offer, or its offer).</summary>
    public ReadOnlyMemory<byte> LocalSdp { get; set; }

    /// <summary>Anchored media: the leg's SDP as last handed to Media (the same SDP again is not sent twice).</summary>
    public ReadOnlyMemory<byte> AnchoredSdp { get; set; }

    /// <summary>Anchored media: the allocation carrying the leg's SDP to Media, awaited before its answer is relayed.</summary>
    public Task<MediaAnswer>? PendingAnchor { get; set; }

    public bool Answered { get; set; }

    public bool Ended { get; set; }

    /// <summary>Our INVITE was answered: it can no longer be CANCELled, and the request is not kept for the rest of the call.</summary>
    public void Answer()
    {
        Answered = true;
        SentInvite = null;
    }

    /// <summary>True once this leg's <c>LegHungUp</c> went out: a BYE crossing ours must not report the leg twice.</summary>
    public bool HangUpPublished { get; set; }

    /// <summary>The next hop of an in-dialog request: the dialog's route or remote target, else where the INVITE went.</summary>
    public SipDestination NextHop() =>
        Dialog is { } dialog && dialog.TryGetDestination(out var destination) ? destination : Destination;
}
