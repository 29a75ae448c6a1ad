namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// A recording opened for one user after the purpose was chosen and the access audited: its
/// decrypted Ogg Opus bytes, held in memory only (never written to disk) while the player needs them.
/// </summary>
/// <param name="Token">The ticket's random id (the player's URLs carry it).</param>
/// <param name="User">Who opened it: only they may use the ticket.</param>
/// <param name="RecordingId">The recording.</param>
/// <param name="Audio">The decrypted Ogg Opus stream.</param>
/// <param name="Expires">When the ticket lapses.</param>
public sealed record ListeningTicket(string Token, string User, Guid RecordingId, byte[] Audio, DateTimeOffset Expires)
{
    /// <summary>The waveform, computed once on first request.</summary>
    internal Lazy<Waveform> Waveform { get; } = new(() => Recordings.Waveform.Of(Audio));
}
