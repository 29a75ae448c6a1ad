namespace CallSwitch.Sip.Sdp;

/// <summary>
/// A <c>b=</c> line (RFC 4566 §5.8), e.g. <c>b=AS:64</c> or <c>b=TIAS:64000</c> (RFC 3890).
/// </summary>
/// <param name="Type">Bandwidth modifier (<c>CT</c>, <c>AS</c>, <c>TIAS</c>, <c>RR</c>, <c>RS</c> or any extension token).</param>
/// <param name="Value">Bandwidth value; its unit depends on the modifier (kbit/s for CT and AS).</param>
public sealed record SdpBandwidth(string Type, ulong Value)
{
    /// <summary>Formats the value part of the line (without <c>b=</c>).</summary>
    public override string ToString() => $"{Type}:{Value}";
}
