namespace CallSwitch.Sip.Sdp;

/// <summary>
/// A line whose type letter this parser does not know. RFC 4566 §5 tells parsers to ignore such lines;
/// a B2BUA keeps them so that a description it relays is written back unchanged.
/// </summary>
/// <param name="Type">The type letter.</param>
/// <param name="Value">Everything after <c>=</c>.</param>
public sealed record SdpLine(char Type, string Value)
{
    /// <summary>Formats the complete line (without the line ending).</summary>
    public override string ToString() => $"{Type}={Value}";
}
