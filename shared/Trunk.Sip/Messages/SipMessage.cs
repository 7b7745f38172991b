using System.Buffers;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, ordered raw headers and body bytes.
/// Immutable; typed header views are parsed on first use and cached.
/// </summary>
public abstract class SipMessage
{
    public const string Version = "SIP/2.0";

    private IReadOnlyList<ViaHeader>? _vias;
    private IReadOnlyList<ContactHeader>? _contacts;
    private NameAddress? _from;
    private NameAddress? _to;
    private CSeqHeader? _cseq;

    private protected SipMessage(SipHeaders headers, ReadOnlyMemory<byte> body)
    {
        Headers = headers ?? throw new ArgumentNullException(nameof(headers));
        Body = body;
    }

    public SipHeaders Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public string? CallId => Headers.GetFirst(SipHeaderNames.CallId)?.Trim();

    /// <summary>The CSeq, or null when absent or malformed.</summary>
    public CSeqHeader? CSeq
    {
        get
        {
            if (_cseq is null && Headers.GetFirst(SipHeaderNames.CSeq) is { } value)
            {
                CSeqHeader.TryParse(value, out _cseq);
            }

            return _cseq;
        }

        private protected set => _cseq = value;
    }

    /// <summary>The From header, or null when absent or malformed.</summary>
    public NameAddress? From => _from ??= ParseAddress(SipHeaderNames.From);

    /// <summary>The To header, or null when absent or malformed.</summary>
    public NameAddress? To => _to ??= ParseAddress(SipHeaderNames.To);

    /// <summary>Every Via value, top first, across header fields and comma-separated values; empty when any is malformed.</summary>
    public IReadOnlyList<ViaHeader> Vias => _vias ??= ParseList<ViaHeader>(SipHeaderNames.Via, ViaHeader.TryParseList);

    public ViaHeader? TopVia => Vias.Count > 0 ? Vias[0] : null;

    /// <summary>Every Contact value; empty when absent or any is malformed.</summary>
    public IReadOnlyList<ContactHeader> Contacts => _contacts ??= ParseList<ContactHeader>(SipHeaderNames.Contact, ContactHeader.TryParseList);

    public int? MaxForwards => ParseNumber(SipHeaderNames.MaxForwards) is { } value and <= int.MaxValue ? (int)value : null;

    /// <summary>The declared Content-Length (the serializer always writes the real body length).</summary>
    public int? ContentLength => ParseNumber(SipHeaderNames.ContentLength) is { } value and <= int.MaxValue ? (int)value : null;

    /// <summary>The Content-Type media type, lower case without parameters (e.g. <c>application/sdp</c>).</summary>
    public string? ContentType =>
        Headers.GetFirst(SipHeaderNames.ContentType) is { } value && MediaType.TryParse(value, out var type) ? type.MimeType : null;

    public abstract SipMessage WithHeaders(SipHeaders headers);

    /// <summary>Replaces the body and sets (or removes, for an empty body) Content-Type.</summary>
    public SipMessage WithBody(ReadOnlyMemory<byte> body, string? contentType)
    {
        var headers = contentType is null ? Headers.Remove(SipHeaderNames.ContentType) : Headers.Set(SipHeaderNames.ContentType, contentType);
        return WithHeadersAndBody(headers, body);
    }

    /// <summary>The canonical wire form (start line, <c>Name: value</c> lines, a Content-Length matching the body).</summary>
    public byte[] ToBytes() => SipMessageWriter.ToBytes(this);

    public void WriteTo(IBufferWriter<byte> writer) => SipMessageWriter.Write(this, writer);

    public override string ToString() => System.Text.Encoding.UTF8.GetString(ToBytes());

    private protected abstract SipMessage WithHeadersAndBody(SipHeaders headers, ReadOnlyMemory<byte> body);

    internal abstract int GetStartLineByteCount();

    internal abstract int WriteStartLine(Span<byte> destination);

    private NameAddress? ParseAddress(string name) =>
        Headers.GetFirst(name) is { } value && NameAddress.TryParse(value, out var address) ? address : null;

    private IReadOnlyList<T> ParseList<T>(string name, Func<string, List<T>, bool> parse)
    {
        var list = new List<T>();
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase) && !parse(header.Value, list))
            {
                return [];
            }
        }

        return list;
    }

    private long? ParseNumber(string name) =>
        Headers.GetFirst(name) is { } value && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
