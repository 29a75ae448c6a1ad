namespace CallSwitch.Compliance.Requests;

/// <summary>The right a data subject exercises (GDPR Art. 15, 17, 18, 21).</summary>
public enum RequestKind
{
    /// <summary>Art. 15: a copy of everything held about the number.</summary>
    Access,

    /// <summary>Art. 17: erase the number's recordings and take the number off the call rows.</summary>
    Erasure,

    /// <summary>Art. 18: freeze the number's recordings (nobody listens, nothing is purged) until lifted.</summary>
    Restriction,

    /// <summary>Art. 21: never call the number again (the do-not-call list), never record its calls.</summary>
    Objection,
}
