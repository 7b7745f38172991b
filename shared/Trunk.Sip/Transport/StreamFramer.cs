namespace Trunk.Sip.Transport;

/// <summary>What <see cref="StreamFramer.TryRead"/> found at the head of the buffered bytes.</summary>
public enum FrameKind
{
    /// <summary>Not enough bytes yet.</summary>
    NeedMore,
    /// <summary>A whole SIP message (header block and Content-Length body).</summary>
    Message,
    /// <summary>A double-CRLF keep-alive ping (RFC 5626 §4.4.1): answer with a single CRLF.</summary>
    KeepAlivePing,
    /// <summary>A single CRLF: a keep-alive pong, or stray CRLF before a message (RFC 3261 §7.5).</summary>
    KeepAlivePong,
    /// <summary>The message would exceed the per-message limit: the connection must be closed.</summary>
    Oversize,
}

/// <summary>
/// Splits a stream transport's bytes into SIP messages by the header end and Content-Length
/// (RFC 3261 §18.3), and recognises CRLF keep-alives (RFC 5626 §4.4.1).
/// </summary>
public sealed class StreamFramer
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private readonly int _maxMessageSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public StreamFramer(int maxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 16);
        _maxMessageSize = maxMessageSize;
        _buffer = new byte[Math.Min(maxMessageSize, 4096)];
    }

    /// <summary>Bytes buffered but not yet returned as a frame.</summary>
    public int Buffered => _end - _start;

    /// <summary>Appends bytes received on the stream. Returns false when the buffer would pass the limit.</summary>
    public bool Append(ReadOnlySpan<byte> bytes)
    {
        if (Buffered + bytes.Length > _maxMessageSize + 4)
        {
            return false;
        }

        EnsureRoom(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
        return true;
    }

    /// <summary>Reads the next frame; <paramref name="message"/> is set only for <see cref="FrameKind.Message"/>.</summary>
    public FrameKind TryRead(out byte[] message)
    {
        message = [];
        var data = _buffer.AsSpan(_start, _end - _start);
        if (data.Length == 0)
        {
            return FrameKind.NeedMore;
        }

        if (data[0] == (byte)'\r')
        {
            return ReadKeepAlive(data);
        }

        var headerEnd = data.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            return data.Length > _maxMessageSize ? FrameKind.Oversize : FrameKind.NeedMore;
        }

        var contentLength = ContentLengthScanner.Find(data[..(headerEnd + 2)]);
        var total = (long)headerEnd + HeaderEnd.Length + contentLength;
        if (contentLength < 0 || total > _maxMessageSize)
        {
            return FrameKind.Oversize;
        }

        if (data.Length < total)
        {
            return FrameKind.NeedMore;
        }

        message = data[..(int)total].ToArray();
        _start += (int)total;
        return FrameKind.Message;
    }

    private FrameKind ReadKeepAlive(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(HeaderEnd))
        {
            _start += 4;
            return FrameKind.KeepAlivePing;
        }

        // A lone CRLF may be the first half of a ping still in flight: wait for the rest.
        if (data.Length < 4 && HeaderEnd.StartsWith(data))
        {
            return FrameKind.NeedMore;
        }

        return data.StartsWith("\r\n"u8) ? Skip(2) : Skip(1);
    }

    private FrameKind Skip(int count)
    {
        _start += count;
        return FrameKind.KeepAlivePong;
    }

    private void EnsureRoom(int extra)
    {
        if (_end + extra <= _buffer.Length)
        {
            return;
        }

        var live = _end - _start;
        if (live + extra > _buffer.Length)
        {
            var grown = new byte[Math.Max(_buffer.Length * 2, live + extra)];
            _buffer.AsSpan(_start, live).CopyTo(grown);
            _buffer = grown;
        }
        else
        {
            _buffer.AsSpan(_start, live).CopyTo(_buffer);
        }

        _start = 0;
        _end = live;
    }
}
