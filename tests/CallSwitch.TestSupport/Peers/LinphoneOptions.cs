using System.Net;

namespace CallSwitch.TestSupport.Peers;

/// <summary>How a <see cref="Linphone"/> softphone is set up: its one account, what its microphone says, where what it hears goes, and its limits.</summary>
public sealed record LinphoneOptions
{
    /// <summary>The registrar and proxy (the switch).</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>Registers and calls over TCP (its listening port then TCP only) instead of UDP.</summary>
    public bool Tcp { get; init; }

    /// <summary>The account's user (the agent's extension).</summary>
    public required string User { get; init; }

    /// <summary>The account's digest password.</summary>
    public required string Password { get; init; }

    /// <summary>The microphone: a WAV file (16-bit PCM, mono, 8 kHz) played into each call (linphonec's file mode).</summary>
    public required string AudioSource { get; init; }

    /// <summary>Where linphonec writes what it hears in a call (a WAV file), or nowhere when null.</summary>
    public string? HeardFile { get; init; }

    /// <summary>Answers inbound calls at once (linphonec's <c>autoanswer enable</c>).</summary>
    public bool AutoAnswer { get; init; }

    /// <summary>The registration interval asked for, in seconds.</summary>
    public int RegisterSeconds { get; init; } = 600;

    /// <summary>The process is stopped after this long whatever happens.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(40);
}
