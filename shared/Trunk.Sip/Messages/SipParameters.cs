using System.Collections;
using System.Text;

namespace Trunk.Sip.Messages;

/// <summary>An ordered, immutable list of parameters with case-insensitive names (RFC 3261 §7.3.1).</summary>
public sealed class SipParameters : IReadOnlyList<SipParameter>, IEquatable<SipParameters>
{
    private readonly SipParameter[] _items;

    public static SipParameters Empty { get; } = new([]);

    internal SipParameters(SipParameter[] items) => _items = items;

    public int Count => _items.Length;

    public SipParameter this[int index] => _items[index];

    public static SipParameters Create(params IEnumerable<SipParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var items = parameters.ToArray();
        return items.Length == 0 ? Empty : new SipParameters(items);
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of a parameter, null when absent or when it has no value.</summary>
    public string? Get(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? null : _items[index].Value;
    }

    /// <summary>The value with surrounding quotes and quoted-pair escapes removed.</summary>
    public string? GetUnquoted(string name) => Get(name) is { } value ? SipSyntax.Unquote(value) : null;

    /// <summary>Adds or replaces a parameter (keeps its position when replacing).</summary>
    public SipParameters With(string name, string? value)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            var copy = (SipParameter[])_items.Clone();
            copy[index] = new SipParameter(_items[index].Name, value);
            return new SipParameters(copy);
        }

        return new SipParameters([.. _items, new SipParameter(name, value)]);
    }

    public SipParameters Without(string name) =>
        IndexOf(name) < 0 ? this : new SipParameters(Array.FindAll(_items, p => !NameEquals(p.Name, name)));

    public int IndexOf(string name)
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (NameEquals(_items[i].Name, name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes each parameter as <c>;name=value</c>.</summary>
    public void AppendTo(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var parameter in _items)
        {
            builder.Append(';').Append(parameter.Name);
            if (parameter.Value is not null)
            {
                builder.Append('=').Append(parameter.Value);
            }
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    public IEnumerator<SipParameter> GetEnumerator() => ((IEnumerable<SipParameter>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Same parameters in the same order; names case-insensitive, values exact.</summary>
    public bool Equals(SipParameters? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!NameEquals(_items[i].Name, other._items[i].Name) || _items[i].Value != other._items[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SipParameters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var parameter in _items)
        {
            hash.Add(parameter.Name, StringComparer.OrdinalIgnoreCase);
            hash.Add(parameter.Value);
        }

        return hash.ToHashCode();
    }

    private static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
