using System;

namespace Trunk.Contracts.Policy;

/// <summary>Policy's answer to <see cref="CheckTransfer"/>: denied, with the SIP code the REFER gets (403) and why.</summary>
public sealed record TransferDenied(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    int SipCode,
    string Reason) : ICallMessage;
