using System.Globalization;
using System.Net;
using CallSwitch.InteropTests.Calls;
using CallSwitch.Media.Codecs;
using CallSwitch.Media.Dtmf;
using CallSwitch.TestSupport.Media;
using CallSwitch.TestSupport.Peers;

namespace CallSwitch.InteropTests.Supervision;

/// <summary>
/// A supervisor's softphone: SIPp for the signalling (the agent-call scenario, dialling a
/// supervision code with the supervisor's credentials) and the test's own RTP socket for the
/// media, talking one continuous tone and recording what it hears. G.722 audio is encoded by
/// ffmpeg, not by the switch's codec, so both ends of that test are independent.
/// </summary>
internal sealed class SupervisorPhone : IAsyncDisposable
{
    /// <summary>The telephone-event payload type the scenario offers.</summary>
    public const int TelephoneEvent = 101;

    private readonly byte[][] _frames;
    private Task _media = Task.CompletedTask;

    public SupervisorPhone(string user, double hz, bool g722 = false)
    {
        User = user;
        Hz = hz;
        PayloadType = g722 ? 9 : 0;
        _frames = g722 ? G722Tone(hz, TimeSpan.FromSeconds(30)) : CallHarness.EncodedTone(hz, 400, AudioCodecInfo.Pcmu);
    }

    public string User { get; }

    public double Hz { get; }

    /// <summary>0 (PCMU) or 9 (G.722): the only audio codec the phone offers.</summary>
    public int PayloadType { get; }

    public RtpPeer Media { get; } = new();

    /// <summary>When the phone started talking (it waits for the switch's first packet); null before.</summary>
    public DateTimeOffset? TalkingSince { get; private set; }

    /// <summary>
    /// Dials <paramref name="dialled"/> (e.g. *711001); once answered, ends with the
    /// <paramref name="end"/> block of the agent scenarios (agent-bye after
    /// <paramref name="talkMs"/>, or agent-wait-bye). The phone starts talking when the switch's
    /// first packet arrives, back to where it came from (symmetric RTP).
    /// </summary>
    public Task<SippResult> DialAsync(CallHarness h, string dialled, string end, int talkMs = 0)
    {
        Dictionary<string, string> values = Values(dialled, talkMs);
        values["HANGUP_BLOCK"] = CallHarness.Fill(CallHarness.Part(end), values);
        Task<SippResult> sipp = Sipp.RunAsync(CallHarness.Scenario("agent-call"), h.Switch.EndPoint, tcp: false, values, timeLimit: TimeSpan.FromSeconds(40));
        _media = TalkWhenHeardAsync(sipp);
        return sipp;
    }

    /// <summary>Dials <paramref name="dialled"/> and expects the final answer <paramref name="status"/> (after the digest challenge).</summary>
    public Task<SippResult> DialRefusedAsync(CallHarness h, string dialled, int status)
    {
        Dictionary<string, string> values = Values(dialled, 0);
        values["FINAL"] = status.ToString(CultureInfo.InvariantCulture);
        return Sipp.RunAsync(CallHarness.Scenario("agent-rejected"), h.Switch.EndPoint, tcp: false, values, timeLimit: TimeSpan.FromSeconds(20));
    }

    /// <summary>Presses a key: an RFC 4733 event in the phone's RTP stream.</summary>
    public void Press(char key)
    {
        Assert.True(DtmfDigits.TryGetEventCode(key, out byte code));
        Media.QueueTelephoneEvent(TelephoneEvent, code);
    }

    /// <summary>What the phone heard in [from, to).</summary>
    public HeardAudio Heard(DateTimeOffset from, DateTimeOffset to) =>
        HeardAudio.Of($"supervisor {User}", Media.Received, PayloadType, from, to);

    public async ValueTask DisposeAsync()
    {
        await Media.DisposeAsync();
        await _media;
    }

    private Dictionary<string, string> Values(string dialled, int talkMs) => new()
    {
        ["USER"] = User,
        ["PASSWORD"] = "demo" + User,
        ["NUMBER"] = dialled,
        ["RTP_PORT"] = Media.Port.ToString(CultureInfo.InvariantCulture),
        ["AGENT_PT"] = PayloadType.ToString(CultureInfo.InvariantCulture),
        ["AGENT_CODEC"] = PayloadType == 9 ? "G722" : "PCMU",
        ["TALK_MS"] = talkMs.ToString(CultureInfo.InvariantCulture),
    };

    private async Task TalkWhenHeardAsync(Task until)
    {
        Task<IPEndPoint> first = Media.FirstSender;
        if (await Task.WhenAny(first, until) == first && first.IsCompletedSuccessfully)
        {
            Media.StartSending(first.Result, PayloadType, i => _frames[i % _frames.Length], ssrc: 0x5E50_0000u + uint.Parse(User, CultureInfo.InvariantCulture));
            TalkingSince = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>A 16 kHz sine of amplitude 8,192, G.722-encoded by ffmpeg, cut into 20 ms payloads (160 bytes).</summary>
    private static byte[][] G722Tone(double hz, TimeSpan length)
    {
        string source = string.Create(CultureInfo.InvariantCulture, $"aevalsrc=0.25*sin(2*PI*{hz}*t):s=16000:d={length.TotalSeconds}");
        var (exitCode, g722, error) = RecordedAudio.Run("ffmpeg", null, "-v", "error", "-f", "lavfi", "-i", source, "-ac", "1", "-c:a", "g722", "-f", "g722", "-");
        Assert.True(exitCode == 0 && g722.Length >= 160, "ffmpeg (G.722 encode): " + error);
        return [.. g722.Chunk(160).Where(c => c.Length == 160)];
    }
}
