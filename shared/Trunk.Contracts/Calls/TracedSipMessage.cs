using System;

namespace Trunk.Contracts.Calls;

/// <summary>One SIP message as it crossed the wire, with the raw text kept byte for byte (as UTF-8).</summary>
public sealed record TracedSipMessage(
    DateTimeOffset At,
    LegSide Leg,
    SipDirection Direction,
    string Transport,
    string LocalAddress,
    string RemoteAddress,
    string Raw);
