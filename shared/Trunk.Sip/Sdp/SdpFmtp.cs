namespace Trunk.Sip.Sdp;

/// <summary>
/// <c>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;</c> (RFC 4566 §6). The parameters are
/// kept as written; <see cref="GetParameters"/> reads the common <c>key=value;key=value</c> shape.
/// </summary>
public sealed record SdpFmtp(string Format, string Parameters)
{
    public const string AttributeName = "fmtp";

    public IReadOnlyDictionary<string, string> GetParameters()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                result[item] = string.Empty;
            }
            else
            {
                result[item[..equals].Trim()] = item[(equals + 1)..].Trim();
            }
        }

        return result;
    }

    public SdpAttribute ToAttribute() => new(AttributeName, ToString());

    public override string ToString() => $"{Format} {Parameters}";

    public static bool TryParse(string value, out SdpFmtp? fmtp)
    {
        ArgumentNullException.ThrowIfNull(value);
        fmtp = null;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == value.Length - 1)
        {
            return false;
        }

        fmtp = new SdpFmtp(value[..space], value[(space + 1)..].Trim());
        return fmtp.Parameters.Length > 0;
    }
}
