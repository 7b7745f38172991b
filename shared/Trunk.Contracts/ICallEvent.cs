namespace Trunk.Contracts;

/// <summary>
/// A past-tense fact of a call's stream. Published, never sent. Subscribing to this interface receives
/// every call event (MassTransit binds the interface's exchange to each event type's exchange).
/// </summary>
public interface ICallEvent : ICallMessage
{
    /// <summary>The service instance that produced the fact, e.g. <c>signaling-7f3c</c>.</summary>
    string Instance { get; }
}
