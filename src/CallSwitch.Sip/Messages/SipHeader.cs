namespace CallSwitch.Sip.Messages;

/// <summary>A header as a name and an unfolded value, for enumeration.</summary>
public readonly record struct SipHeader(HeaderId Id, string Name, string Value);
