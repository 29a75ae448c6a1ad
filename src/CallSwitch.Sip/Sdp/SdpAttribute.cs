namespace CallSwitch.Sip.Sdp;

/// <summary>
/// An <c>a=</c> line (RFC 4566 §5.13): either a property attribute (<c>a=sendonly</c>, <see cref="Value"/> is null)
/// or a value attribute (<c>a=rtpmap:0 PCMU/8000</c>).
/// </summary>
/// <param name="Name">Attribute name, as it appeared on the wire.</param>
/// <param name="Value">Everything after the first colon, verbatim; null for property attributes.</param>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <summary>Formats the value part of the line (without <c>a=</c>).</summary>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
