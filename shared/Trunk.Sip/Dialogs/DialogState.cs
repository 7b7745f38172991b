namespace Trunk.Sip.Dialogs;

/// <summary>§12: a dialog is early (from a 1xx with a tag) or confirmed (from a 2xx), until it ends.</summary>
public enum DialogState
{
    Early,
    Confirmed,
    Terminated,
}
