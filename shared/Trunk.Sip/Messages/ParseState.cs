namespace Trunk.Sip.Messages;

/// <summary>Scratch state of one parse: collected headers, framing facts and the first error.</summary>
internal struct ParseState
{
    public SipHeader[] Headers;
    public int HeaderCount;
    public int ContentLengthCount;
    public int ContentLength;
    public CSeqHeader? CSeq;
    public int ErrorCode;
    public string? ErrorReason;

    /// <summary>Parsing stopped before the header section was read: never answerable.</summary>
    public bool Fatal;

    public ParseState()
    {
        Headers = [];
    }

    /// <summary>Records the first error only; later ones are consequences.</summary>
    public void Fail(int code, string reason, bool fatal = false)
    {
        if (ErrorReason is null)
        {
            ErrorCode = code;
            ErrorReason = reason;
        }

        Fatal |= fatal;
    }

    public void Add(SipHeader header)
    {
        if (HeaderCount == Headers.Length)
        {
            Array.Resize(ref Headers, Math.Max(16, Headers.Length * 2));
        }

        Headers[HeaderCount++] = header;
    }
}
