using Trunk.Contracts.Transfers;
using Trunk.Sip.Dialogs;
using Trunk.Sip.Transactions;

namespace Trunk.Signaling.Transfers;

/// <summary>One REFER of the endpoint that passed the checks: held until the saga's decision, then the refer subscription.</summary>
internal sealed class Transfer(Guid id, IncomingRequest refer, string targetNumber, string? referredBy, bool notifyRequested)
{
    public Guid Id { get; } = id;

    public IncomingRequest Refer { get; } = refer;

    public string TargetNumber { get; } = targetNumber;

    public string? ReferredBy { get; } = referredBy;

    /// <summary>False when the endpoint sent <c>Refer-Sub: false</c> (RFC 4488): no NOTIFYs then.</summary>
    public bool NotifyRequested { get; } = notifyRequested;

    public TaskCompletionSource<AnswerRefer> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed once the REFER's final response went out: the saga's next command (NOTIFY 100) waits for it.</summary>
    public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Accepted { get; set; }

    public ReferSubscription? Subscription { get; set; }

    /// <summary>True once the transfer ended (bridged, failed, refused): another REFER may start one.</summary>
    public bool Finished { get; set; }
}
