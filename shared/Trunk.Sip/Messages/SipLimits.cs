namespace Trunk.Sip.Messages;

/// <summary>
/// Bounds the parser enforces on untrusted input. One place, so transport framing and the
/// parser agree (issue 3: 64 KiB per message, a bounded number of headers and line length).
/// </summary>
public static class SipLimits
{
    /// <summary>Largest message accepted, start line, headers and body together.</summary>
    public const int MaxMessageSize = 64 * 1024;

    /// <summary>Largest number of header fields (after unfolding) in one message.</summary>
    public const int MaxHeaderCount = 256;

    /// <summary>Longest physical line, and longest header value after unfolding.</summary>
    public const int MaxLineLength = 8 * 1024;

    /// <summary>Largest number of comma-separated values parsed from one header field.</summary>
    public const int MaxListValues = 128;
}
