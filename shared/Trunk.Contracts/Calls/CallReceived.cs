using System;

namespace Trunk.Contracts.Calls;

/// <summary>
/// An inbound INVITE to one of our DIDs was accepted for routing. Commands for the call go to <see cref="CommandQueue"/>,
/// the Signaling instance that owns its dialogs, through its exchange (<c>exchange:</c> and the name): the queue expires
/// an hour after its instance stops, and a <c>queue:</c> send would declare it again without that expiry and be refused.
/// </summary>
public sealed record CallReceived(
    Guid CallId,
    DateTimeOffset At,
    string Instance,
    string CommandQueue,
    string SipCallId,
    string CallerNumber,
    string Did,
    Guid TrunkId,
    Guid AccountId,
    string SourceAddress) : ICallEvent;
