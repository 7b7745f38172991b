using Trunk.ServiceDefaults;

namespace Trunk.Signaling.Sip;

/// <summary>This instance's command queue (its instance id, <c>signaling-…</c>): commands for the calls it owns go there.</summary>
internal sealed class CommandQueue(ServiceIdentity identity)
{
    public string Name { get; } = identity.InstanceId;
}
