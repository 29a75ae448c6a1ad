namespace CallSwitch.Media.Mixing;

/// <summary>What a supervisor on a live call may say, and to whom (Asterisk ChanSpy's spy / whisper / barge).</summary>
public enum SupervisionMode
{
    /// <summary>Silent monitoring: the supervisor hears both parties; nobody hears the supervisor.</summary>
    Listen,

    /// <summary>Coaching: the agent hears the prospect and the supervisor; the prospect hears only the agent.</summary>
    Whisper,

    /// <summary>Joining the call: everyone hears everyone.</summary>
    Barge,
}
