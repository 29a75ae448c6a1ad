namespace CallSwitch.Recording.Timeline;

/// <summary>Who speaks on a channel of the recording.</summary>
public enum Party
{
    /// <summary>The agent (telemarketer): the left channel.</summary>
    Agent = 0,

    /// <summary>The prospect (called party): the right channel.</summary>
    Prospect = 1,
}
