namespace CallSwitch.Media.Announcements;

/// <summary>Something driven by a <see cref="MediaClock"/>: called once per 20 ms tick.</summary>
public interface IMediaClockSource
{
    /// <summary>
    /// Produces this tick's media (e.g. pulls a frame from an <see cref="AnnouncementPlayer"/>
    /// and sends it). Called on a timer thread, never concurrently with itself for one clock;
    /// must not block and should not allocate. An exception is reported to
    /// <see cref="MediaClock.SourceFailed"/> and does not stop the clock or other sources.
    /// </summary>
    void OnTick(in MediaTick tick);
}
