using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>
/// A SIP, SIPS (RFC 3261 §19.1) or tel (RFC 3966) URI, or any other absolute URI kept opaque.
/// Components hold decoded values (%HH expanded); a parsed URI prints exactly as received.
/// </summary>
public sealed class SipUri : IEquatable<SipUri>
{
    private static readonly SearchValues<char> UserChars = SearchValues.Create(Unreserved + "&=+$,;?/");
    private static readonly SearchValues<char> PasswordChars = SearchValues.Create(Unreserved + "&=+$,");
    private static readonly SearchValues<char> ParamChars = SearchValues.Create(Unreserved + "[]/:&+$");
    private static readonly SearchValues<char> HeaderChars = SearchValues.Create(Unreserved + "[]/?:+$");

    private const string Unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()";

    private readonly string? _text;

    internal SipUri(string scheme, string? user, string? password, string host, int? port, SipParameters parameters, SipParameters headers, string? opaque, string? text)
    {
        Scheme = scheme;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Parameters = parameters;
        Headers = headers;
        Opaque = opaque;
        _text = text;
    }

    /// <summary>Lower-case scheme: <c>sip</c>, <c>sips</c>, <c>tel</c> or another.</summary>
    public string Scheme { get; }

    /// <summary>Decoded user part (for tel, the telephone number).</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>Host as written, IPv6 references with their brackets; empty for tel and opaque URIs.</summary>
    public string Host { get; }

    public int? Port { get; }

    /// <summary>uri-parameters, decoded.</summary>
    public SipParameters Parameters { get; }

    /// <summary>The <c>?name=value&amp;…</c> headers, decoded.</summary>
    public SipParameters Headers { get; }

    /// <summary>Everything after the scheme colon for schemes other than sip, sips and tel.</summary>
    public string? Opaque { get; }

    public bool IsSip => Scheme is "sip" or "sips";

    public bool IsSecure => Scheme == "sips";

    public bool IsTel => Scheme == "tel";

    public string? Transport => Parameters.Get("transport");

    public bool IsLooseRouter => Parameters.Contains("lr");

    /// <summary>Builds a sip or sips URI.</summary>
    public static SipUri Create(string host, string? user = null, int? port = null, SipParameters? parameters = null, bool secure = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return new SipUri(secure ? "sips" : "sip", user, null, host, port, parameters ?? SipParameters.Empty, SipParameters.Empty, null, null);
    }

    /// <summary>Builds a tel URI (RFC 3966).</summary>
    public static SipUri CreateTel(string number, SipParameters? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(number);
        return new SipUri("tel", number, null, string.Empty, null, parameters ?? SipParameters.Empty, SipParameters.Empty, null, null);
    }

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException($"Malformed URI: {text}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out SipUri? uri) => SipUriParser.TryParse(text, out uri);

    public SipUri WithUser(string? user) => new(Scheme, user, Password, Host, Port, Parameters, Headers, Opaque, null);

    public SipUri WithHost(string host, int? port) => new(Scheme, User, Password, host, port, Parameters, Headers, Opaque, null);

    public SipUri WithParameters(SipParameters parameters) => new(Scheme, User, Password, Host, Port, parameters, Headers, Opaque, null);

    public SipUri WithHeaders(SipParameters headers) => new(Scheme, User, Password, Host, Port, Parameters, headers, Opaque, null);

    public override string ToString() => _text ?? Format();

    /// <summary>URI comparison per RFC 3261 §19.1.4 (sip/sips), exact otherwise.</summary>
    public bool Equals(SipUri? other)
    {
        if (other is null || Scheme != other.Scheme)
        {
            return false;
        }

        if (Opaque is not null || other.Opaque is not null)
        {
            return string.Equals(Opaque, other.Opaque, StringComparison.Ordinal);
        }

        return User == other.User
            && Password == other.Password
            && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
            && Port == other.Port
            && ParametersMatch(Parameters, other.Parameters)
            && HeadersMatch(Headers, other.Headers);
    }

    public override bool Equals(object? obj) => Equals(obj as SipUri);

    public override int GetHashCode() =>
        HashCode.Combine(Scheme, User, StringComparer.OrdinalIgnoreCase.GetHashCode(Host), Port, Opaque);

    // §19.1.4: user, ttl, method and maddr must match when present in either URI (transport too);
    // other parameters are compared only when present in both.
    private static bool ParametersMatch(SipParameters a, SipParameters b)
    {
        foreach (var name in (ReadOnlySpan<string>)["user", "ttl", "method", "maddr", "transport"])
        {
            if (!string.Equals(a.Get(name), b.Get(name), StringComparison.OrdinalIgnoreCase) || a.Contains(name) != b.Contains(name))
            {
                return false;
            }
        }

        foreach (var parameter in a)
        {
            if (b.IndexOf(parameter.Name) is var index and >= 0
                && !string.Equals(parameter.Value, b[index].Value, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HeadersMatch(SipParameters a, SipParameters b) =>
        a.Count == b.Count && a.All(h => b.IndexOf(h.Name) is var i and >= 0 && b[i].Value == h.Value);

    private string Format()
    {
        var builder = new StringBuilder(64).Append(Scheme).Append(':');
        if (Opaque is not null)
        {
            return builder.Append(Opaque).ToString();
        }

        if (User is not null)
        {
            builder.Append(SipSyntax.Escape(User, UserChars));
            if (Password is not null)
            {
                builder.Append(':').Append(SipSyntax.Escape(Password, PasswordChars));
            }

            if (!IsTel)
            {
                builder.Append('@');
            }
        }

        builder.Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port);
        }

        foreach (var parameter in Parameters)
        {
            builder.Append(';').Append(SipSyntax.Escape(parameter.Name, ParamChars));
            if (parameter.Value is not null)
            {
                builder.Append('=').Append(SipSyntax.Escape(parameter.Value, ParamChars));
            }
        }

        for (var i = 0; i < Headers.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&')
                .Append(SipSyntax.Escape(Headers[i].Name, HeaderChars)).Append('=')
                .Append(SipSyntax.Escape(Headers[i].Value ?? string.Empty, HeaderChars));
        }

        return builder.ToString();
    }
}
