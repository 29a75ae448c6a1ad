namespace CallSwitch.Sip.Messages;

/// <summary>
/// One header line of a message. A parsed header points into the message's source bytes
/// (no string is made until someone asks); a header added or replaced by the stack holds
/// its name and value as strings.
/// </summary>
internal struct HeaderEntry
{
    public HeaderId Id;

    /// <summary>True when the header still points into the source bytes and is written back byte for byte.</summary>
    public bool IsRaw;

    /// <summary>True when the raw value holds a line folding (CRLF followed by white space).</summary>
    public bool IsFolded;

    public int NameStart;
    public int NameLength;
    public int ValueStart;
    public int ValueLength;

    /// <summary>The name of a header added by the stack (null for raw headers and known ids).</summary>
    public string? Name;

    /// <summary>The value of a header added by the stack, or the cached text of a raw value.</summary>
    public string? Value;
}
