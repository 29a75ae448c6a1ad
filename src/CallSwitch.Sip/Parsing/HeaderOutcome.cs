namespace CallSwitch.Sip.Parsing;

/// <summary>How indexing a message's header lines went.</summary>
internal enum HeaderOutcome
{
    /// <summary>Every line is a well-formed header (or a folding of one).</summary>
    Ok,

    /// <summary>A line was skipped (no name, no colon, not a token); the others were indexed.</summary>
    Malformed,

    /// <summary>A limit (line length, header count) was exceeded: indexing stopped there.</summary>
    LimitExceeded,
}
