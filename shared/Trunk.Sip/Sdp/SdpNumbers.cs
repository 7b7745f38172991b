using System.Globalization;

namespace Trunk.Sip.Sdp;

internal static class SdpNumbers
{
    /// <summary>RTP payload types are 7 bits (RFC 3550 §5.1).</summary>
    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        TryParseDigits(text, out payloadType) && payloadType <= 127;

    public static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        TryParseDigits(text, out port) && port <= 65535;

    public static bool TryParsePositive(ReadOnlySpan<char> text, out int value) =>
        TryParseDigits(text, out value) && value > 0;

    public static bool TryParseDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        return text.Length > 0 && !text.ContainsAnyExcept("0123456789")
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseDigits(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        return text.Length > 0 && !text.ContainsAnyExcept("0123456789")
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
