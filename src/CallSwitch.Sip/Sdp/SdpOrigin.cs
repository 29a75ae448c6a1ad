namespace CallSwitch.Sip.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 4566 §5.2): who created the session and which version of it this is.
/// </summary>
/// <param name="UserName">Login of the originating user, or <c>-</c> when the host has no notion of users.</param>
/// <param name="SessionId">Numeric session identifier, constant for the life of the session.</param>
/// <param name="SessionVersion">Version of this description; RFC 3264 §8 requires it to grow on every change.</param>
/// <param name="NetworkType">Network type, <c>IN</c> for the Internet.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="UnicastAddress">Address or FQDN of the originating host.</param>
public sealed record SdpOrigin(
    string UserName,
    ulong SessionId,
    ulong SessionVersion,
    string NetworkType,
    string AddressType,
    string UnicastAddress)
{
    /// <summary>Formats the value part of the line (without <c>o=</c>).</summary>
    public override string ToString() =>
        $"{UserName} {SessionId} {SessionVersion} {NetworkType} {AddressType} {UnicastAddress}";
}
