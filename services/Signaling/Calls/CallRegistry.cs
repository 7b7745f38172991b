using System.Collections.Concurrent;
using Trunk.Contracts;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;

namespace Trunk.Signaling.Calls;

/// <summary>The live calls of this instance, found by our CallId or by the dialog an in-dialog request names (§12.2.2).</summary>
internal sealed class CallRegistry
{
    private readonly ConcurrentDictionary<Guid, Call> _calls = new();
    private readonly ConcurrentDictionary<DialogId, (Call Call, LegSide Side)> _dialogs = new();

    public IEnumerable<Call> All => _calls.Values;

    public int Count => _calls.Count;

    public void Add(Call call) => _calls[call.Id] = call;

    public bool TryGet(Guid callId, out Call? call) => _calls.TryGetValue(callId, out call);

    public void AddDialog(Call call, LegSide side, Dialog dialog) => _dialogs[dialog.Id] = (call, side);

    /// <summary>Finds the call and leg of an in-dialog request: (Call-ID, To tag as ours, From tag as theirs).</summary>
    public bool TryFind(SipRequest request, out Call? call, out LegSide side)
    {
        call = null;
        side = default;
        if (request.CallId is not { } callId || request.To?.Tag is not { } local || request.From?.Tag is not { } remote
            || !_dialogs.TryGetValue(new DialogId(callId, local, remote), out var found))
        {
            return false;
        }

        (call, side) = found;
        return true;
    }

    public void Remove(Call call)
    {
        _calls.TryRemove(call.Id, out _);
        foreach (var leg in new[] { call.Caller, call.Endpoint, call.Target })
        {
            if (leg?.Dialog is { } dialog)
            {
                _dialogs.TryRemove(dialog.Id, out _);
            }
        }
    }
}
