using System.Net;

namespace CallSwitch.TestSupport.Peers;

/// <summary>How a <see cref="Baresip"/> softphone is set up: its one account, what its microphone says, and its limits.</summary>
public sealed record BaresipOptions
{
    /// <summary>The registrar and proxy (the switch): the account's domain and where every request goes.</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>The account's user (the agent's extension).</summary>
    public required string User { get; init; }

    /// <summary>The account's digest password.</summary>
    public required string Password { get; init; }

    /// <summary>
    /// The microphone: a WAV file (16-bit PCM, mono, 8 kHz to match G.711) played from the start
    /// of each call. When it ends baresip hangs up, so make it longer than the call.
    /// </summary>
    public required string AudioSource { get; init; }

    /// <summary>Answers inbound calls at once (the account's <c>answermode=auto</c>).</summary>
    public bool AutoAnswer { get; init; }

    /// <summary>The registration interval asked for, in seconds (sent as the Contact's <c>expires</c>).</summary>
    public int RegisterSeconds { get; init; } = 600;

    /// <summary>
    /// A folder where baresip writes what it hears and what it sends (module sndfile: one WAV per
    /// direction and call, <c>dump-…-dec.wav</c> and <c>dump-…-enc.wav</c>); none when null.
    /// </summary>
    public string? DumpFolder { get; init; }

    /// <summary>The process is stopped after this long whatever happens (baresip's own <c>-t</c>, and a kill).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);
}
