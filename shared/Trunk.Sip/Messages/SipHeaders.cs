using System.Collections;

namespace Trunk.Sip.Messages;

/// <summary>
/// The ordered, immutable header fields of a message. Names compare case-insensitively and are
/// stored canonically (compact forms expanded); values and unknown headers are kept as received.
/// Changes return a new collection.
/// </summary>
public sealed class SipHeaders : IReadOnlyList<SipHeader>, IEquatable<SipHeaders>
{
    private readonly SipHeader[] _items;

    public static SipHeaders Empty { get; } = new([], 0);

    private SipHeaders(SipHeader[] items, int count)
    {
        _items = items;
        Count = count;
    }

    public int Count { get; }

    public SipHeader this[int index] =>
        (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Builds a collection, canonicalizing each name.</summary>
    public static SipHeaders Create(IEnumerable<SipHeader> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var items = headers.Select(h => new SipHeader(SipHeaderNames.Canonicalize(h.Name), h.Value)).ToArray();
        return items.Length == 0 ? Empty : new SipHeaders(items, items.Length);
    }

    /// <summary>Takes ownership of an array whose names are already canonical (parser use).</summary>
    internal static SipHeaders Wrap(SipHeader[] items, int count) => count == 0 ? Empty : new SipHeaders(items, count);

    /// <summary>The first value of the named header, or null.</summary>
    public string? GetFirst(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? null : _items[index].Value;
    }

    /// <summary>All values of the named header, in order (each header field as one raw value).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        List<string>? values = null;
        for (var i = 0; i < Count; i++)
        {
            if (NameEquals(_items[i].Name, canonical))
            {
                (values ??= []).Add(_items[i].Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>How many header fields carry the name.</summary>
    public int CountOf(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        var count = 0;
        for (var i = 0; i < Count; i++)
        {
            if (NameEquals(_items[i].Name, canonical))
            {
                count++;
            }
        }

        return count;
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Appends a header field at the end.</summary>
    public SipHeaders Add(string name, string value) => Insert(Count, name, value);

    /// <summary>Inserts a header field before the first one of the same name, or at the top if there is none (a new Via, RFC 3261 §16.6 step 8).</summary>
    public SipHeaders AddFirst(string name, string value)
    {
        var index = IndexOf(name);
        return Insert(index < 0 ? 0 : index, name, value);
    }

    /// <summary>Replaces every field of the name by one value, at the position of the first (or at the end).</summary>
    public SipHeaders Set(string name, string value)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        var first = IndexOf(canonical);
        if (first < 0)
        {
            return Add(canonical, value);
        }

        var list = new List<SipHeader>(Count);
        for (var i = 0; i < Count; i++)
        {
            if (i == first)
            {
                list.Add(new SipHeader(canonical, value));
            }
            else if (!NameEquals(_items[i].Name, canonical))
            {
                list.Add(_items[i]);
            }
        }

        return new SipHeaders([.. list], list.Count);
    }

    /// <summary>Removes every field of the name.</summary>
    public SipHeaders Remove(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        if (IndexOf(canonical) < 0)
        {
            return this;
        }

        var kept = this.Where(h => !NameEquals(h.Name, canonical)).ToArray();
        return Wrap(kept, kept.Length);
    }

    /// <summary>Removes the first field of the name (the top Via, RFC 3261 §8.1.3.3).</summary>
    public SipHeaders RemoveFirst(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return this;
        }

        var items = new SipHeader[Count - 1];
        Array.Copy(_items, 0, items, 0, index);
        Array.Copy(_items, index + 1, items, index, Count - index - 1);
        return Wrap(items, items.Length);
    }

    public int IndexOf(string name)
    {
        var canonical = SipHeaderNames.Canonicalize(name);
        for (var i = 0; i < Count; i++)
        {
            if (NameEquals(_items[i].Name, canonical))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>An allocation-free enumerator (the parser and serializer walk headers on every message).</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<SipHeader> IEnumerable<SipHeader>.GetEnumerator() => new ArraySegment<SipHeader>(_items, 0, Count).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<SipHeader>)this).GetEnumerator();

    public bool Equals(SipHeaders? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!NameEquals(_items[i].Name, other._items[i].Name) || !string.Equals(_items[i].Value, other._items[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SipHeaders);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < Count; i++)
        {
            hash.Add(_items[i].Name, StringComparer.OrdinalIgnoreCase);
            hash.Add(_items[i].Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private SipHeaders Insert(int index, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var items = new SipHeader[Count + 1];
        Array.Copy(_items, 0, items, 0, index);
        items[index] = new SipHeader(SipHeaderNames.Canonicalize(name), value);
        Array.Copy(_items, index, items, index + 1, Count - index);
        return new SipHeaders(items, items.Length);
    }

    private static bool NameEquals(string a, string b) =>
        ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public struct Enumerator
    {
        private readonly SipHeaders _headers;
        private int _index;

        internal Enumerator(SipHeaders headers)
        {
            _headers = headers;
            _index = -1;
        }

        public readonly SipHeader Current => _headers._items[_index];

        public bool MoveNext() => ++_index < _headers.Count;
    }
}
