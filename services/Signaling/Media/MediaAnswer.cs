namespace Trunk.Signaling.Media;

/// <summary>What Media said to an allocation: the SDP to give the leg, or the SIP code to fail with (503 no ports or no answer, 488 no common codec).</summary>
internal readonly record struct MediaAnswer(ReadOnlyMemory<byte> Sdp, int FailureCode, string Reason)
{
    public bool Allocated => FailureCode == 0;

    public static MediaAnswer Of(string sdp) => Of(System.Text.Encoding.UTF8.GetBytes(sdp));

    public static MediaAnswer Of(ReadOnlyMemory<byte> sdp) => new(sdp, 0, string.Empty);

    public static MediaAnswer Failed(int code, string reason) => new(default, code, reason);
}
