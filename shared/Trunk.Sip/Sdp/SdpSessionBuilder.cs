namespace Trunk.Sip.Sdp;

/// <summary>The mutable state of one parse; it never outlives <see cref="SdpParser.TryParse"/>.</summary>
internal sealed class SdpSessionBuilder
{
    private const string KnownTypes = "vosiuepcbtrzkam";

    private string? _version;
    private SdpOrigin? _origin;
    private string? _sessionName;
    private string? _information;
    private string? _uri;
    private string? _connectionText;
    private SdpConnection? _connection;
    private string? _timeZones;
    private string? _encryptionKey;
    private readonly List<string> _emails = [];
    private readonly List<string> _phones = [];
    private readonly List<SdpBandwidth> _bandwidths = [];
    private readonly List<(SdpTiming Timing, List<string> Repeats)> _timings = [];
    private readonly List<SdpAttribute> _attributes = [];

    public List<SdpMediaBuilder> Media { get; } = [];

    public SdpMediaBuilder? CurrentMedia => Media.Count > 0 ? Media[^1] : null;

    public static bool IsKnownType(char type) => KnownTypes.Contains(type, StringComparison.Ordinal);

    public static string UnknownType(char type) =>
        $"unknown type letter '{type}' (RFC 4566 §5: a description with one must be refused)";

    public string? ReadSessionLine(char type, string value) => type switch
    {
        'v' => ReadVersion(value),
        'o' => ReadOrigin(value),
        's' => SdpParser.SetOnce(ref _sessionName, value, type),
        'i' => SdpParser.SetOnce(ref _information, value, type),
        'u' => SdpParser.SetOnce(ref _uri, value, type),
        'e' => Add(_emails, value),
        'p' => Add(_phones, value),
        'c' => SdpParser.SetOnce(ref _connectionText, value, type)
            ?? SdpParser.ReadConnection(value, connection => _connection = connection),
        'b' => SdpParser.ReadBandwidth(value, _bandwidths.Add),
        't' => ReadTiming(value),
        'r' => _timings.Count == 0 ? "'r=' must follow a 't=' line (RFC 4566 §5.10)" : Add(_timings[^1].Repeats, value),
        'z' => SdpParser.SetOnce(ref _timeZones, value, type),
        'k' => SdpParser.SetOnce(ref _encryptionKey, value, type),
        'a' => SdpParser.ReadAttribute(value, _attributes.Add),
        _ => UnknownType(type),
    };

    public string? Build(out SdpSessionDescription? description)
    {
        description = null;
        if (_version is null)
        {
            return "the description is empty";
        }

        if (_origin is null)
        {
            return "there is no o= line (RFC 4566 §5.2)";
        }

        if (_sessionName is null)
        {
            return "there is no s= line (RFC 4566 §5.3)";
        }

        description = new SdpSessionDescription(_origin, _sessionName)
        {
            Information = _information,
            Uri = _uri,
            Emails = _emails,
            Phones = _phones,
            Connection = _connection,
            Bandwidths = _bandwidths,
            // Devices that leave out the mandatory t= mean a permanent session, which is all SIP uses (RFC 3264 §5).
            Timings = _timings.Count == 0 ? [SdpTiming.Permanent] : [.. _timings.Select(t => t.Timing with { Repeats = t.Repeats })],
            TimeZones = _timeZones,
            EncryptionKey = _encryptionKey,
            Attributes = _attributes,
            Media = [.. Media.Select(m => m.Build())],
        };
        return null;
    }

    private string? ReadVersion(string value)
    {
        if (_version is not null)
        {
            return "'v=' may appear only once (RFC 4566 §5)";
        }

        _version = value;
        return value == "0" ? null : $"unsupported SDP version '{value}' (RFC 4566 §5.1: only 0)";
    }

    private string? ReadOrigin(string value)
    {
        if (_origin is not null)
        {
            return "'o=' may appear only once (RFC 4566 §5)";
        }

        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            return "expected 'o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>'";
        }

        if (!SdpNumbers.TryParseDigits(fields[1], out ulong _))
        {
            return $"session id '{fields[1]}' is not a number (RFC 4566 §5.2)";
        }

        if (!SdpNumbers.TryParseDigits(fields[2], out ulong version))
        {
            return $"session version '{fields[2]}' is not a 64-bit number (RFC 4566 §5.2)";
        }

        _origin = new SdpOrigin(fields[0], fields[1], version, fields[3], fields[4], fields[5]);
        return null;
    }

    private string? ReadTiming(string value)
    {
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 2
            || !SdpNumbers.TryParseDigits(fields[0], out ulong start)
            || !SdpNumbers.TryParseDigits(fields[1], out ulong stop))
        {
            return "expected 't=<start-time> <stop-time>' in NTP seconds";
        }

        _timings.Add((new SdpTiming(start, stop), []));
        return null;
    }

    private static string? Add(List<string> list, string value)
    {
        list.Add(value);
        return null;
    }
}

internal sealed class SdpMediaBuilder(SdpMediaDescription media)
{
    private readonly List<SdpConnection> _connections = [];
    private readonly List<SdpBandwidth> _bandwidths = [];
    private readonly List<SdpAttribute> _attributes = [];
    private string? _information;
    private string? _encryptionKey;

    /// <summary>A line after <c>m=</c>: only i, c, b, k and a belong to a media section (RFC 4566 §5).</summary>
    public string? ReadLine(char type, string value) => type switch
    {
        'i' => SdpParser.SetOnce(ref _information, value, type),
        'c' => SdpParser.ReadConnection(value, _connections.Add),
        'b' => SdpParser.ReadBandwidth(value, _bandwidths.Add),
        'k' => SdpParser.SetOnce(ref _encryptionKey, value, type),
        'a' => SdpParser.ReadAttribute(value, _attributes.Add),
        _ when SdpSessionBuilder.IsKnownType(type) =>
            $"'{type}=' belongs to the session level and cannot follow an m= line (RFC 4566 §5)",
        _ => SdpSessionBuilder.UnknownType(type),
    };

    public SdpMediaDescription Build() => media with
    {
        Information = _information,
        EncryptionKey = _encryptionKey,
        Connections = _connections,
        Bandwidths = _bandwidths,
        Attributes = _attributes,
    };
}
