using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Trunk.Sip.Messages;

/// <summary>One Contact value (RFC 3261 §20.10): a name-addr with contact-params, or the <c>*</c> wildcard of §10.2.2.</summary>
public sealed record ContactHeader(NameAddress? Address)
{
    public static ContactHeader Wildcard { get; } = new((NameAddress?)null);

    public bool IsWildcard => Address is null;

    /// <summary>The <c>expires</c> contact-param in seconds, if present and numeric (delta-seconds up to 2^32-1, §20.10).</summary>
    public long? Expires =>
        long.TryParse(Address?.Parameters.Get("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= uint.MaxValue
            ? seconds
            : null;

    public string? Q => Address?.Parameters.Get("q");

    /// <summary>Parses one Contact header field: <c>*</c> or one or more comma-separated values.</summary>
    public static bool TryParseList(string value, List<ContactHeader> into)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(into);
        if (value.AsSpan().Trim(" \t").SequenceEqual("*"))
        {
            into.Add(Wildcard);
            return true;
        }

        var addresses = new List<NameAddress>();
        if (!NameAddress.TryParseList(value, addresses))
        {
            return false;
        }

        into.AddRange(addresses.Select(a => new ContactHeader(a)));
        return true;
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out ContactHeader? contact)
    {
        var list = new List<ContactHeader>(1);
        contact = TryParseList(value, list) && list.Count == 1 ? list[0] : null;
        return contact is not null;
    }

    public override string ToString() => Address?.ToString() ?? "*";
}
