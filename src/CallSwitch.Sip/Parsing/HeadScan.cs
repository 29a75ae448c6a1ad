namespace CallSwitch.Sip.Parsing;

/// <summary>
/// What one pass over a message head found (<see cref="SipMessageParser"/>): where the start
/// line, the headers and the body are, and the first problem of each kind, so that the parser
/// can report them in the order the RFC checks imply (size, framing, bytes, headers).
/// </summary>
internal struct HeadScan
{
    /// <summary>True when no empty line ends the head within the data.</summary>
    public bool NoEmptyLine;

    /// <summary>True when the head runs past the size limit before its empty line.</summary>
    public bool TooLarge;

    /// <summary>The end of the start line's content (its CR or LF).</summary>
    public int StartLineEnd;

    /// <summary>The index of the empty line (the end of the head).</summary>
    public int HeadEnd;

    /// <summary>The first body byte.</summary>
    public int BodyStart;

    /// <summary>The first illegal control byte's reason (bare CR, NUL), or null.</summary>
    public string? ControlError;

    /// <summary>How indexing the header lines went.</summary>
    public HeaderOutcome Outcome;

    /// <summary>The first malformed header's reason, or the exceeded limit.</summary>
    public string? HeaderError;

    /// <summary>The number of header lines indexed.</summary>
    public int Count;
}
