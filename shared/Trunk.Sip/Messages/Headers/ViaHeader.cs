using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>One Via value: <c>SIP/2.0/UDP host[:port];params</c> (RFC 3261 §20.42, RFC 3581 rport).</summary>
public sealed record ViaHeader(string Protocol, string Transport, string Host, int? Port, SipParameters Parameters)
{
    /// <summary>The branch prefix of RFC 3261 transactions (§8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    public string? Branch => Parameters.Get("branch");

    public string? Received => Parameters.Get("received");

    /// <summary>True when an <c>rport</c> parameter is present, with or without a value (RFC 3581 §3).</summary>
    public bool HasRPort => Parameters.Contains("rport");

    public int? RPort => int.TryParse(Parameters.Get("rport"), out var port) ? port : null;

    /// <summary>True when the branch carries the RFC 3261 magic cookie (else RFC 2543 matching, §17.2.3).</summary>
    public bool IsRfc3261Branch => Branch is { } branch && branch.StartsWith(MagicCookie, StringComparison.Ordinal);

    public static ViaHeader Create(string transport, string host, int? port, string branch) =>
        new("SIP/2.0", transport.ToUpperInvariant(), host, port, SipParameters.Create(new SipParameter("branch", branch)));

    public ViaHeader WithParameter(string name, string? value) => this with { Parameters = Parameters.With(name, value) };

    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out ViaHeader? via)
    {
        via = null;

        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS
        var pos = SipSyntax.SkipWhitespace(s, 0);
        if (!ReadProtocolPart(s, ref pos, out var name) || !ExpectSlash(s, ref pos)
            || !ReadProtocolPart(s, ref pos, out var version) || !ExpectSlash(s, ref pos)
            || !ReadProtocolPart(s, ref pos, out var transport))
        {
            return false;
        }

        var hostStart = SipSyntax.SkipWhitespace(s, pos);
        if (hostStart == pos || hostStart == s.Length)
        {
            return false;
        }

        var hostEnd = s[hostStart] == '[' ? s[hostStart..].IndexOf(']') + hostStart + 1 : ReadHostName(s, hostStart);
        if (hostEnd <= hostStart || (s[hostStart] == '[' && hostEnd - hostStart < 3))
        {
            return false;
        }

        var host = s[hostStart..hostEnd].ToString();
        pos = SipSyntax.SkipWhitespace(s, hostEnd);
        int? port = null;
        if (pos < s.Length && s[pos] == ':')
        {
            var portStart = SipSyntax.SkipWhitespace(s, pos + 1);
            var portEnd = portStart;
            while (portEnd < s.Length && char.IsAsciiDigit(s[portEnd]))
            {
                portEnd++;
            }

            if (!SipUriParser.TryParsePort(s[portStart..portEnd], out var value))
            {
                return false;
            }

            port = value;
            pos = portEnd;
        }

        if (!SipSyntax.TryParseParameters(s, pos, out var parameters))
        {
            return false;
        }

        via = new ViaHeader(ProtocolText(name, version), TransportName(transport), host, port, parameters);
        return true;
    }

    /// <summary>Parses every value of one Via header field (comma-separated, §7.3.1).</summary>
    public static bool TryParseList(string value, List<ViaHeader> into) =>
        SipSyntax.TryParseEach(value, into, TryParse);

    public override string ToString()
    {
        var builder = new StringBuilder(64).Append(Protocol).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port);
        }

        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static string ProtocolText(ReadOnlySpan<char> name, ReadOnlySpan<char> version) =>
        name.Equals("SIP", StringComparison.OrdinalIgnoreCase) && version.SequenceEqual("2.0")
            ? "SIP/2.0"
            : $"{name.ToString().ToUpperInvariant()}/{version}";

    private static string TransportName(ReadOnlySpan<char> transport)
    {
        foreach (var known in (ReadOnlySpan<string>)["UDP", "TCP", "TLS", "WS", "WSS", "SCTP"])
        {
            if (transport.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return transport.ToString().ToUpperInvariant();
    }

    private static bool ReadProtocolPart(ReadOnlySpan<char> s, ref int pos, out ReadOnlySpan<char> part)
    {
        var end = SipSyntax.ReadToken(s, pos);
        part = s[pos..end];
        pos = end;
        return !part.IsEmpty;
    }

    private static bool ExpectSlash(ReadOnlySpan<char> s, ref int pos)
    {
        pos = SipSyntax.SkipWhitespace(s, pos);
        if (pos == s.Length || s[pos] != '/')
        {
            return false;
        }

        pos = SipSyntax.SkipWhitespace(s, pos + 1);
        return true;
    }

    private static int ReadHostName(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] is '-' or '.' or '_'))
        {
            pos++;
        }

        return pos;
    }
}
