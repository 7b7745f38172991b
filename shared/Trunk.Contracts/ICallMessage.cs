using System;

namespace Trunk.Contracts;

/// <summary>Every message about a call names the call (our own id, never a SIP Call-ID) and when it was produced.</summary>
public interface ICallMessage
{
    Guid CallId { get; }

    DateTimeOffset At { get; }
}
