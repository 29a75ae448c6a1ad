namespace CallSwitch.Compliance.Erasure;

/// <summary>
/// A keyed hash (HMAC-SHA-256) of a phone number, under a key derived from the recordings' master
/// key: what tombstones and number holds keep instead of the number. Without the master key the
/// digest says nothing; with it, "was this number recorded?" is answered by digesting the number asked about.
/// </summary>
public interface INumberDigester
{
    /// <summary>The digest of an E.164 number, lowercase hex.</summary>
    string Digest(string e164Number);
}
