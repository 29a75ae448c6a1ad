namespace CallSwitch.Media.Announcements;

/// <summary>Where an <see cref="AnnouncementPlayer"/> stands.</summary>
public enum AnnouncementPlaybackState
{
    /// <summary>Frames remain to be played.</summary>
    Playing,

    /// <summary>Every frame was handed out: the announcement was played in full.</summary>
    Completed,

    /// <summary><see cref="AnnouncementPlayer.Stop"/> cut the announcement short.</summary>
    Stopped,
}
