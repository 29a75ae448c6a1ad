namespace CallSwitch.Sip.Auth;

/// <summary>
/// One <c>auth-param</c> of a challenge or credentials value (RFC 3261 §25.1), kept so that
/// parameters CallSwitch does not interpret survive a parse/write round trip.
/// </summary>
/// <param name="Name">Parameter name as written (compare case-insensitively).</param>
/// <param name="Value">Value with quotes removed and backslash escapes resolved.</param>
/// <param name="IsQuoted">Whether the value was (and will be written as) a quoted-string.</param>
public readonly record struct AuthParameter(string Name, string Value, bool IsQuoted);
