namespace Trunk.Sip.Sdp;

/// <summary>
/// Why a session description was refused: the 1-based line number (0 when something is missing
/// from the whole description), the line as received, and the reason.
/// </summary>
public sealed record SdpParseError(int LineNumber, string Line, string Reason)
{
    public override string ToString() =>
        LineNumber == 0 ? $"SDP: {Reason}" : $"SDP line {LineNumber} '{Line}': {Reason}";
}
