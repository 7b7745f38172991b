using System;

namespace Trunk.Contracts.Transfers;

/// <summary>
/// How Signaling answered a REFER from Policy's pushed rules (<see cref="Policy.AccountTransferRules"/>): 202, or the
/// denial's code and reason. The saga then starts after the answer: reserving funds after a 202, recording the denial
/// otherwise. <see cref="RingTimeout"/> is the trunk's. <see cref="FundsRequested"/>: Signaling published
/// <see cref="Policy.ReserveFunds"/> itself right after this event (one bus hop fewer before the target is dialled), so
/// the saga only waits for Policy's answer; false from a Signaling that leaves the request to the saga.
/// </summary>
public sealed record ReferDecision(int SipCode, string Reason, TimeSpan RingTimeout, bool FundsRequested = false);
