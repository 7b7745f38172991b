namespace Trunk.Signaling.Settings;

/// <summary>
/// How Signaling reaches the Media service for trunks whose media mode is <c>Anchored</c> (section <c>Media</c>): the
/// shared queue that takes a call's first allocation, and how long an allocation may take before the call gets 503.
/// </summary>
public sealed class MediaControlSettings
{
    public const string Section = "Media";

    /// <summary>The address of Media's shared allocation queue, e.g. <c>queue:media</c>.</summary>
    public string AllocationAddress { get; set; } = "queue:media";

    /// <summary>How long Signaling waits for Media's answer to an allocation (a slow Media fails the call with 503, it does not hang it).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
