using System.Globalization;
using CallSwitch.InteropTests.Calls;
using CallSwitch.Media.Codecs;
using CallSwitch.TestSupport.Media;

namespace CallSwitch.InteropTests.Supervision;

/// <summary>
/// What one recipient heard over a span of time: the audio packets its RTP socket received,
/// decoded (G.711 by the codec tables, G.722 by ffmpeg, an independent decoder), and the level of
/// each tone in it (Goertzel).
/// </summary>
/// <remarks>
/// The span is cut to a multiple of 100 ms (five packets): every tone the tests use (400, 440,
/// 1000, 1330, 2500 Hz) then fills it with whole cycles, so no tone leaks into another's bin and
/// a 40 dB margin measures the stream, not the window.
/// </remarks>
internal sealed class HeardAudio
{
    private HeardAudio(string who, short[] pcm, int sampleRate, int packets, DateTimeOffset from, DateTimeOffset to)
    {
        Who = who;
        Pcm = pcm;
        SampleRate = sampleRate;
        Packets = packets;
        From = from;
        To = to;
    }

    public string Who { get; }

    public short[] Pcm { get; }

    public int SampleRate { get; }

    public int Packets { get; }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    /// <summary>The audio packets (payload type <paramref name="payloadType"/>) that arrived in [from, to), decoded.</summary>
    public static HeardAudio Of(string who, IReadOnlyList<ReceivedRtp> received, int payloadType, DateTimeOffset from, DateTimeOffset to)
    {
        ReceivedRtp[] packets = [.. received.Where(p => p.PayloadType == payloadType && p.ReceivedAt >= from && p.ReceivedAt < to)];
        packets = packets[..(packets.Length / 5 * 5)];
        Assert.True(packets.Length >= 20, $"{who}: only {packets.Length} packets of payload type {payloadType} between {from:HH:mm:ss.fff} and {to:HH:mm:ss.fff} (of {received.Count} received)");
        return payloadType switch
        {
            0 or 8 => new HeardAudio(who, DecodeG711(packets, payloadType == 0 ? AudioCodecInfo.Pcmu : AudioCodecInfo.Pcma), 8000, packets.Length, from, to),
            9 => new HeardAudio(who, DecodeG722WithFfmpeg(packets), 16000, packets.Length, from, to),
            _ => throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "not an audio payload type these tests decode"),
        };
    }

    /// <summary>The amplitude of a sine at <paramref name="frequency"/> (Goertzel: power = A²/4).</summary>
    public double Amplitude(double frequency) => 2 * Math.Sqrt(ToneMeter.TonePower(Pcm, SampleRate, frequency));

    /// <summary>
    /// Each tone of <paramref name="heard"/> is there at a speaking level (amplitude over 2,000 of
    /// the 8,000 sent), and each tone of <paramref name="silent"/> is at least
    /// <paramref name="marginDb"/> below the quietest of them.
    /// </summary>
    public void AssertHears(double[] heard, double[] silent, string context, double marginDb = 40)
    {
        string levels = Levels(heard.Concat(silent));
        double quietest = double.MaxValue;
        foreach (double frequency in heard)
        {
            double level = Amplitude(frequency);
            Assert.True(level > 2000, $"{Who} should hear {frequency} Hz: amplitude {level:F0} ({levels}; {context})");
            quietest = Math.Min(quietest, level);
        }

        foreach (double frequency in silent)
        {
            double margin = 20 * Math.Log10(quietest / Math.Max(Amplitude(frequency), 1e-3));
            Assert.True(margin >= marginDb, $"{Who} should not hear {frequency} Hz: only {margin:F1} dB below what it hears ({levels}; {context})");
        }
    }

    /// <summary>The amplitude of each tone, for messages and the test output.</summary>
    public string Levels(IEnumerable<double> frequencies) =>
        $"{Who} {From:HH:mm:ss.fff}–{To:HH:mm:ss.fff}, {Packets} packets: " +
        string.Join(", ", frequencies.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f} Hz {Amplitude(f):F1}")));

    private static short[] DecodeG711(ReceivedRtp[] packets, AudioCodecInfo codec)
    {
        IAudioDecoder decoder = CodecRegistry.Default.CreateDecoder(codec);
        var pcm = new List<short>(packets.Length * 160);
        var frame = new short[decoder.GetSampleCount(480)];
        foreach (ReceivedRtp packet in packets)
        {
            int count = decoder.Decode(packet.Payload, frame);
            pcm.AddRange(frame.AsSpan(0, count));
        }

        return [.. pcm];
    }

    private static short[] DecodeG722WithFfmpeg(ReceivedRtp[] packets)
    {
        byte[] g722 = [.. packets.SelectMany(p => p.Payload)];
        var (exitCode, raw, error) = RecordedAudio.Run("ffmpeg", g722, "-v", "error", "-f", "g722", "-i", "-", "-f", "s16le", "-ar", "16000", "-ac", "1", "-");
        Assert.True(exitCode == 0, "ffmpeg (G.722 decode): " + error);
        var pcm = new short[raw.Length / 2];
        Buffer.BlockCopy(raw, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }
}
