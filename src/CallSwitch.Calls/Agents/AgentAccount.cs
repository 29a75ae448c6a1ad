namespace CallSwitch.Calls.Agents;

/// <summary>
/// An agent's SIP account. The password is never stored: only the digest HA1 values for the
/// switch's realm (RFC 7616 §3.4.2), one per algorithm the switch challenges with.
/// </summary>
public sealed record AgentAccount(string Extension, string? DisplayName, string? Ha1Md5, string? Ha1Sha256);
