namespace CallSwitch.Calls.Sessions;

/// <summary>Where a live call stands, as its signalling sees it.</summary>
public enum CallPhase
{
    /// <summary>The callee leg's INVITE is on its way; nothing but 100 Trying has come back.</summary>
    Dialling,

    /// <summary>The callee rings (a provisional response such as 180 or 183 came back).</summary>
    Ringing,

    /// <summary>Answered; the recording notice is playing to the prospect, the parties are not connected yet.</summary>
    Notice,

    /// <summary>Answered and the parties are connected.</summary>
    Connected,

    /// <summary>Connected, and a party has put the call on hold.</summary>
    OnHold,

    /// <summary>Ended; the call is leaving the registry.</summary>
    Ended,
}
