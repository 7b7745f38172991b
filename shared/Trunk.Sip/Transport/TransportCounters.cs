namespace Trunk.Sip.Transport;

/// <summary>What the transport received, answered, dropped and why. Safe to read from any thread.</summary>
public sealed class TransportCounters
{
    private long _received;
    private long _malformedDropped;
    private long _malformedAnswered;
    private long _oversize;
    private long _keepAlives;
    private long _sendFailures;

    /// <summary>Frames received (datagrams or stream messages).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Malformed messages dropped because they could not be answered.</summary>
    public long MalformedDropped => Interlocked.Read(ref _malformedDropped);

    /// <summary>Malformed requests answered with 400.</summary>
    public long MalformedAnswered => Interlocked.Read(ref _malformedAnswered);

    /// <summary>Messages over the size limit (the TCP connection is closed).</summary>
    public long Oversize => Interlocked.Read(ref _oversize);

    /// <summary>CRLF keep-alive pings answered (RFC 5626 §4.4.1).</summary>
    public long KeepAlives => Interlocked.Read(ref _keepAlives);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnMalformedDropped() => Interlocked.Increment(ref _malformedDropped);

    internal void OnMalformedAnswered() => Interlocked.Increment(ref _malformedAnswered);

    internal void OnOversize() => Interlocked.Increment(ref _oversize);

    internal void OnKeepAlive() => Interlocked.Increment(ref _keepAlives);

    internal void OnSendFailure() => Interlocked.Increment(ref _sendFailures);
}
