using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Trunk.ServiceDefaults;

/// <summary>
/// Who this process is: the service name (<c>signaling</c>, <c>policy</c>, …), a per-process instance id,
/// and the service's own <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Trunk.&lt;Service&gt;</c>.
/// </summary>
public sealed class ServiceIdentity : IDisposable
{
    public ServiceIdentity(string name, string instanceId)
    {
        Name = name;
        InstanceId = instanceId;
        TelemetryName = "Trunk." + char.ToUpperInvariant(name[0]) + name[1..];
        ActivitySource = new ActivitySource(TelemetryName);
        Meter = new Meter(TelemetryName);
    }

    public string Name { get; }

    public string InstanceId { get; }

    public string TelemetryName { get; }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    public void Dispose()
    {
        ActivitySource.Dispose();
        Meter.Dispose();
    }
}
