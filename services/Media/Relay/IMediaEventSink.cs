using System.Diagnostics;
using Trunk.Contracts;

namespace Trunk.Media.Relay;

/// <summary>
/// Where the relay hands the facts it observes (<c>MediaStats</c>, <c>NoAudioDetected</c>); it never waits for them to
/// go out. <paramref name="trace"/> is the trace of the call the leg belongs to, so that the fact joins it.
/// </summary>
internal interface IMediaEventSink
{
    void Publish(ICallEvent callEvent, ActivityContext trace);
}
