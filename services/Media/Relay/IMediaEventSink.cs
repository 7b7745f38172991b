using Trunk.Contracts;

namespace Trunk.Media.Relay;

/// <summary>Where the relay hands the facts it observes (<c>MediaStats</c>, <c>NoAudioDetected</c>); it never waits for them to go out.</summary>
internal interface IMediaEventSink
{
    void Publish(ICallEvent callEvent);
}
