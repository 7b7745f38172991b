using System.Collections.Concurrent;
using Trunk.Sip.Messages;

namespace Trunk.Sip.Dialogs;

/// <summary>The dialogs a UA holds, found by the id an in-dialog request carries (§12.2.2).</summary>
public sealed class DialogSet
{
    private readonly ConcurrentDictionary<DialogId, Dialog> _dialogs = new();

    public int Count => _dialogs.Count;

    public bool TryAdd(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return _dialogs.TryAdd(dialog.Id, dialog);
    }

    /// <summary>§12.2.2: an incoming request's dialog is (Call-ID, To tag as local, From tag as remote).</summary>
    public bool TryFind(SipRequest request, out Dialog? dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        dialog = null;
        return request.CallId is { } callId && request.To?.Tag is { } local && request.From?.Tag is { } remote
            && _dialogs.TryGetValue(new DialogId(callId, local, remote), out dialog);
    }

    public bool Remove(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return _dialogs.TryRemove(new KeyValuePair<DialogId, Dialog>(dialog.Id, dialog));
    }
}
