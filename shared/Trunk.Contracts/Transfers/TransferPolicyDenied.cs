using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Policy refused the transfer (geo permission, premium prefix): the REFER is answered with <see cref="SipCode"/>.</summary>
public sealed record TransferPolicyDenied(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    Guid TransferId,
    int SipCode,
    string Reason) : ICallEvent;
