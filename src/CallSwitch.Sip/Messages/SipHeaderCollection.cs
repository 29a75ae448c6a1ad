using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// The ordered header lines of one message. Lookups by <see cref="HeaderId"/> do not allocate;
/// values become strings only when asked for, and are then cached. Not thread-safe: a message
/// belongs to one thread at a time (the transport that parsed it, then the transaction).
/// </summary>
public sealed class SipHeaderCollection
{
    private ReadOnlyMemory<byte> _source;
    private HeaderEntry[] _entries;
    private int _count;

    internal SipHeaderCollection(ReadOnlyMemory<byte> source, int capacity)
    {
        _source = source;
        _entries = new HeaderEntry[Math.Max(capacity, 4)];
    }

    /// <summary>The headers a parser indexed, copied into an array of exactly their number (a parsed message is read, seldom added to).</summary>
    internal SipHeaderCollection(ReadOnlyMemory<byte> source, ReadOnlySpan<HeaderEntry> parsed)
    {
        _source = source;
        _entries = parsed.ToArray();
        _count = parsed.Length;
    }

    /// <summary>Creates an empty collection for a message built by the stack.</summary>
    public SipHeaderCollection()
        : this(ReadOnlyMemory<byte>.Empty, 8)
    {
    }

    /// <summary>The number of header lines.</summary>
    public int Count => _count;

    internal ReadOnlyMemory<byte> Source => _source;

    internal ref HeaderEntry EntryAt(int index) => ref _entries[index];

    /// <summary>The id of the header at <paramref name="index"/>.</summary>
    public HeaderId IdAt(int index) => _entries[CheckIndex(index)].Id;

    /// <summary>The name of the header at <paramref name="index"/> as it came (a compact form stays compact).</summary>
    public string NameAt(int index)
    {
        ref HeaderEntry e = ref _entries[CheckIndex(index)];
        if (e.IsRaw)
        {
            return Encoding.ASCII.GetString(e.RawName(_source.Span));
        }

        return e.Name ?? HeaderNames.GetName(e.Id);
    }

    /// <summary>The unfolded value of the header at <paramref name="index"/>, trimmed of surrounding white space.</summary>
    public string ValueAt(int index)
    {
        ref HeaderEntry e = ref _entries[CheckIndex(index)];
        return e.Value ??= Materialize(ref e);
    }

    /// <summary>The raw value bytes of the header at <paramref name="index"/> (folding not removed); empty for added headers.</summary>
    public ReadOnlySpan<byte> RawValueAt(int index)
    {
        ref HeaderEntry e = ref _entries[CheckIndex(index)];
        return e.IsRaw ? _source.Span.Slice(e.ValueStart, e.ValueLength) : default;
    }

    /// <summary>Index of the first header with this id, or -1.</summary>
    public int IndexOf(HeaderId id, int start = 0)
    {
        for (int i = start; i < _count; i++)
        {
            if (_entries[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the first header with this name (any form, case-insensitive), or -1.</summary>
    public int IndexOf(string name, int start = 0)
    {
        HeaderId id = HeaderNames.Lookup(name.AsSpan());
        if (id != HeaderId.Unknown)
        {
            return IndexOf(id, start);
        }

        for (int i = start; i < _count; i++)
        {
            ref HeaderEntry e = ref _entries[i];
            if (e.Id != HeaderId.Unknown)
            {
                continue;
            }

            bool match = e.IsRaw
                ? Ascii.EqualsIgnoreCase(e.RawName(_source.Span), name)
                : string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase);
            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when at least one header with this id is present.</summary>
    public bool Contains(HeaderId id) => IndexOf(id) >= 0;

    /// <summary>The number of header lines with this id.</summary>
    public int CountOf(HeaderId id)
    {
        int n = 0;
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Id == id)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The value of the first header with this id, or null.</summary>
    public string? this[HeaderId id]
    {
        get
        {
            int i = IndexOf(id);
            return i < 0 ? null : ValueAt(i);
        }
    }

    /// <summary>The value of the first header with this name, or null.</summary>
    public string? this[string name]
    {
        get
        {
            int i = IndexOf(name);
            return i < 0 ? null : ValueAt(i);
        }
    }

    /// <summary>The raw value bytes of the first header with this id, without allocating.</summary>
    public bool TryGetRawValue(HeaderId id, out ReadOnlySpan<byte> value)
    {
        int i = IndexOf(id);
        if (i < 0)
        {
            value = default;
            return false;
        }

        ref HeaderEntry e = ref _entries[i];
        value = e.IsRaw ? _source.Span.Slice(e.ValueStart, e.ValueLength) : Encoding.UTF8.GetBytes(e.Value ?? string.Empty);
        return true;
    }

    /// <summary>
    /// Every value of a header, in order, with comma-separated lists split into their
    /// elements when the header is a list (RFC 3261 §7.3.1): <c>Via: a, b</c> and two
    /// <c>Via</c> lines give the same two values.
    /// </summary>
    public List<string> GetValues(HeaderId id)
    {
        var values = new List<string>();
        bool split = HeaderNames.IsList(id);
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Id != id)
            {
                continue;
            }

            string value = ValueAt(i);
            if (split)
            {
                HeaderValueSplitter.Split(value, values);
            }
            else
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Adds a header at the end.</summary>
    public void Add(HeaderId id, string value) => Insert(_count, id, null, value);

    /// <summary>Adds a header by name at the end; a known name maps to its id and is written in canonical form.</summary>
    public void Add(string name, string value)
    {
        HeaderId id = HeaderNames.Lookup(name.AsSpan());
        Insert(_count, id, id == HeaderId.Unknown ? name : null, value);
    }

    /// <summary>Adds a header before every other header with the same id (used for Via and Record-Route).</summary>
    public void AddFirst(HeaderId id, string value)
    {
        int i = IndexOf(id);
        Insert(i < 0 ? _count : i, id, null, value);
    }

    /// <summary>Replaces every header with this id by one header with this value (or adds it).</summary>
    public void Set(HeaderId id, string value)
    {
        int i = IndexOf(id);
        if (i < 0)
        {
            Add(id, value);
            return;
        }

        ReplaceAt(i, value);
        int next;
        while ((next = IndexOf(id, i + 1)) >= 0)
        {
            RemoveAt(next);
        }
    }

    /// <summary>Replaces the value of the header at <paramref name="index"/>; it is then written in canonical form.</summary>
    public void ReplaceAt(int index, string value)
    {
        ref HeaderEntry e = ref _entries[CheckIndex(index)];
        if (e.IsRaw && e.Id == HeaderId.Unknown)
        {
            e.SetText(Encoding.ASCII.GetString(e.RawName(_source.Span)), value);
        }
        else
        {
            e.Value = value;
        }

        e.IsRaw = false;
        e.IsFolded = false;
    }

    /// <summary>Removes every header with this id; returns how many were removed.</summary>
    public int Remove(HeaderId id)
    {
        int removed = 0;
        int i;
        while ((i = IndexOf(id)) >= 0)
        {
            RemoveAt(i);
            removed++;
        }

        return removed;
    }

    /// <summary>Removes the first header with this id; true if one was there.</summary>
    public bool RemoveFirst(HeaderId id)
    {
        int i = IndexOf(id);
        if (i < 0)
        {
            return false;
        }

        RemoveAt(i);
        return true;
    }

    /// <summary>
    /// Removes the first element of a list header: the first value of a comma-separated line,
    /// or the whole line when it holds one value (used to pop the top Via or Route).
    /// </summary>
    public bool RemoveFirstValue(HeaderId id)
    {
        int i = IndexOf(id);
        if (i < 0)
        {
            return false;
        }

        var parts = new List<string>();
        HeaderValueSplitter.Split(ValueAt(i), parts);
        if (parts.Count <= 1)
        {
            RemoveAt(i);
        }
        else
        {
            ReplaceAt(i, string.Join(", ", parts.Skip(1)));
        }

        return true;
    }

    /// <summary>Removes the header at <paramref name="index"/>.</summary>
    public void RemoveAt(int index)
    {
        CheckIndex(index);
        Array.Copy(_entries, index + 1, _entries, index, _count - index - 1);
        _count--;
        _entries[_count] = default;
    }

    /// <summary>Every header as name and value, in order.</summary>
    public IEnumerable<SipHeader> Enumerate()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return new SipHeader(_entries[i].Id, NameAt(i), ValueAt(i));
        }
    }

    /// <summary>Copies the headers into a new collection of added (non-raw) headers, keeping names and values.</summary>
    public SipHeaderCollection Clone()
    {
        var copy = new SipHeaderCollection(ReadOnlyMemory<byte>.Empty, _count + 4);
        for (int i = 0; i < _count; i++)
        {
            ref HeaderEntry e = ref _entries[i];
            copy.Insert(copy._count, e.Id, e.Id == HeaderId.Unknown ? NameAt(i) : null, ValueAt(i));
        }

        return copy;
    }

    private void Insert(int index, HeaderId id, string? name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A header value must not contain CR or LF.", nameof(value));
        }

        Grow();
        Array.Copy(_entries, index, _entries, index + 1, _count - index);
        var entry = new HeaderEntry { Id = id };
        entry.SetText(name, value);
        _entries[index] = entry;
        _count++;
    }

    private void Grow()
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(4, _entries.Length * 2));
        }
    }

    private string Materialize(ref HeaderEntry e)
    {
        ReadOnlySpan<byte> raw = _source.Span.Slice(e.ValueStart, e.ValueLength);
        if (!e.IsFolded)
        {
            return Encoding.UTF8.GetString(raw.Trim(" \t"u8));
        }

        // RFC 3261 §7.3.1: a line folding (CRLF + white space) is equivalent to one SP.
        var sb = new StringBuilder(raw.Length);
        string text = Encoding.UTF8.GetString(raw);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\r' or '\n')
            {
                while (i + 1 < text.Length && text[i + 1] is '\r' or '\n' or ' ' or '\t')
                {
                    i++;
                }

                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }

                continue;
            }

            sb.Append(c);
        }

        return sb.ToString().Trim(' ', '\t');
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return index;
    }
}
