namespace Trunk.Sip.Dialogs;

/// <summary>The outcome of checking an in-dialog request (§12.2.2).</summary>
public enum RemoteRequestCheck
{
    Accepted,
    /// <summary>The CSeq is lower than the remote sequence number: answer 500 (§12.2.2).</summary>
    OutOfOrder,
    /// <summary>The request does not belong to this dialog: answer 481 (§12.2.2).</summary>
    NotThisDialog,
}
