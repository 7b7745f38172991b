using System;

namespace Trunk.Contracts.Transfers;

/// <summary>Command to Signaling: send a NOTIFY of the refer subscription whose message/sipfrag body is the status line <c>SIP/2.0 {SipCode} {ReasonPhrase}</c>; <see cref="Final"/> terminates the subscription.</summary>
public sealed record SendReferNotify(
    Guid CallId,
    DateTimeOffset At,
    Guid TransferId,
    int SipCode,
    string ReasonPhrase,
    bool Final) : ICallMessage;
