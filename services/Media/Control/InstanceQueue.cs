namespace Trunk.Media.Control;

/// <summary>This instance's command queue: the calls it anchors live only in this process, so their later commands come here.</summary>
internal sealed record InstanceQueue(string Name);
