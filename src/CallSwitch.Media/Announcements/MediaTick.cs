namespace CallSwitch.Media.Announcements;

/// <summary>One tick of a <see cref="MediaClock"/>.</summary>
/// <param name="Index">
/// Tick number since the clock started, from 1. Tick n is due at start + n × period, so
/// <c>Index × 160</c> is a drift-free RTP timestamp offset at 8000 Hz; skipped ticks leave gaps.
/// </param>
/// <param name="DueAt">When the tick was due, as elapsed time since the clock started.</param>
/// <param name="Lateness">How late the tick is delivered (0 when on time; larger for catch-up ticks).</param>
public readonly record struct MediaTick(long Index, TimeSpan DueAt, TimeSpan Lateness);
