using CallSwitch.Media.Codecs;

namespace CallSwitch.Media.Tests.Codecs;

public sealed class TranscoderTests
{
    private const int FrameSamples8k = 160;

    public static TheoryData<AudioCodecId, AudioCodecId> AllPairs()
    {
        var data = new TheoryData<AudioCodecId, AudioCodecId>();
        foreach (var from in Enum.GetValues<AudioCodecId>())
        {
            foreach (var to in Enum.GetValues<AudioCodecId>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryPairKeepsTwentyMillisecondsAtOneHundredSixtyBytes(AudioCodecId from, AudioCodecId to)
    {
        var transcoder = new Transcoder(AudioCodecInfo.For(from), AudioCodecInfo.For(to));
        var input = EncodeSine(from, 1000, 1)[0];
        var output = new byte[160];

        Assert.Equal(160, transcoder.GetOutputLength(160));
        Assert.Equal(160, transcoder.Transcode(input, output));
        Assert.Equal(from, transcoder.Source.Id);
        Assert.Equal(to, transcoder.Target.Id);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryPairKeepsAToneFrequencyAndLevel(AudioCodecId from, AudioCodecId to)
    {
        var frames = EncodeSine(from, 1000, 25);
        var transcoder = new Transcoder(AudioCodecInfo.For(from), AudioCodecInfo.For(to));
        var transcoded = frames.Select(f =>
        {
            var output = new byte[160];
            Assert.Equal(160, transcoder.Transcode(f, output));
            return output;
        }).ToList();

        var pcm = Decode8k(to, transcoded);
        AssertToneKept(pcm, 1000, maxLossDb: 1.0);
    }

    [Fact]
    public void ChainPcmuPcmaG722PcmuKeepsA1KhzTone()
    {
        var pcmuToPcma = new Transcoder(AudioCodecInfo.Pcmu, AudioCodecInfo.Pcma);
        var pcmaToG722 = new Transcoder(AudioCodecInfo.Pcma, AudioCodecInfo.G722);
        var g722ToPcmu = new Transcoder(AudioCodecInfo.G722, AudioCodecInfo.Pcmu);
        var a = new byte[160];
        var b = new byte[160];
        var c = new byte[160];
        var output = new List<byte[]>();
        foreach (var frame in EncodeSine(AudioCodecId.Pcmu, 1000, 50))
        {
            pcmuToPcma.Transcode(frame, a);
            pcmaToG722.Transcode(a, b);
            g722ToPcmu.Transcode(b, c);
            output.Add(c.ToArray());
        }

        var pcm = Decode8k(AudioCodecId.Pcmu, output);
        AssertToneKept(pcm, 1000, maxLossDb: 1.5);

        // Shape, not just level: after the filters' delay the waveform still matches the sine.
        var correlation = SignalMath.ToneCorrelation(pcm.AsSpan(800), 1000, 8000);
        Assert.True(correlation > 0.99, $"correlation {correlation:F4}");
    }

    [Theory]
    [InlineData(AudioCodecId.Pcmu, AudioCodecId.Pcma)]
    [InlineData(AudioCodecId.Pcmu, AudioCodecId.G722)]
    [InlineData(AudioCodecId.G722, AudioCodecId.Pcmu)]
    [InlineData(AudioCodecId.Pcma, AudioCodecId.G722)]
    [InlineData(AudioCodecId.G722, AudioCodecId.G722)]
    public void TranscodingAFrameAllocatesNothing(AudioCodecId from, AudioCodecId to)
    {
        var transcoder = CodecRegistry.Default.CreateTranscoder(AudioCodecInfo.For(from), AudioCodecInfo.For(to));
        var input = EncodeSine(from, 1000, 1)[0];
        var output = new byte[160];
        for (var i = 0; i < 50; i++)
        {
            transcoder.Transcode(input, output); // warm up (tiering, static tables)
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            transcoder.Transcode(input, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LongPayloadsAreProcessedInChunksLikeShortOnes()
    {
        var frames = EncodeSine(AudioCodecId.Pcmu, 700, 10);
        var whole = frames.SelectMany(f => f).ToArray(); // 200 ms in one payload
        var byFrame = new Transcoder(AudioCodecInfo.Pcmu, AudioCodecInfo.G722);
        var inOne = new Transcoder(AudioCodecInfo.Pcmu, AudioCodecInfo.G722);

        var expected = frames.SelectMany(f =>
        {
            var o = new byte[160];
            byFrame.Transcode(f, o);
            return o;
        }).ToArray();
        var actual = new byte[inOne.GetOutputLength(whole.Length)];
        Assert.Equal(actual.Length, inOne.Transcode(whole, actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void RejectsATooSmallOutput() =>
        Assert.Throws<ArgumentException>(() =>
            new Transcoder(AudioCodecInfo.Pcmu, AudioCodecInfo.G722).Transcode(new byte[160], new byte[80]));

    [Fact]
    public void ResetForgetsHistory()
    {
        var frame = EncodeSine(AudioCodecId.Pcmu, 1000, 3);
        var transcoder = new Transcoder(AudioCodecInfo.Pcmu, AudioCodecInfo.G722);
        var first = new byte[160];
        var again = new byte[160];
        transcoder.Transcode(frame[0], first);
        transcoder.Transcode(frame[1], again);
        transcoder.Reset();
        transcoder.Transcode(frame[0], again);
        Assert.Equal(first, again);
    }

    /// <summary>A sine at 8 or 16 kHz (as the codec needs), amplitude 10000, cut into encoded 20 ms frames.</summary>
    internal static List<byte[]> EncodeSine(AudioCodecId codec, double frequency, int frameCount)
    {
        var info = AudioCodecInfo.For(codec);
        var encoder = CodecRegistry.Default.CreateEncoder(info);
        var sine = SignalMath.Sine(frequency, info.SampleRate, info.SamplesPerFrame * frameCount, 10000);
        var frames = new List<byte[]>();
        for (var f = 0; f < frameCount; f++)
        {
            var payload = new byte[info.BytesPerFrame];
            encoder.Encode(sine.AsSpan(f * info.SamplesPerFrame, info.SamplesPerFrame), payload);
            frames.Add(payload);
        }

        return frames;
    }

    /// <summary>Decodes frames to PCM, bringing G.722 down to 8 kHz so all codecs compare alike.</summary>
    internal static short[] Decode8k(AudioCodecId codec, IReadOnlyList<byte[]> frames)
    {
        var decoder = CodecRegistry.Default.CreateDecoder(AudioCodecInfo.For(codec));
        var down = new HalfBandDownsampler();
        var result = new List<short>();
        var pcm = new short[320];
        var pcm8 = new short[160];
        foreach (var frame in frames)
        {
            var n = decoder.Decode(frame, pcm);
            if (decoder.Codec.SampleRate == 16000)
            {
                n = down.Process(pcm.AsSpan(0, n), pcm8);
                result.AddRange(pcm8.AsSpan(0, n));
            }
            else
            {
                result.AddRange(pcm.AsSpan(0, n));
            }
        }

        return [.. result];
    }

    private static void AssertToneKept(short[] pcm, double frequency, double maxLossDb)
    {
        var steady = pcm.AsSpan(FrameSamples8k * 5); // skip codec and filter start-up
        var level = SignalMath.ToneAmplitude(steady, frequency, 8000);
        var lossDb = 20 * Math.Log10(10000 / level);
        Assert.True(Math.Abs(lossDb) < maxLossDb, $"tone level {level:F0} ({lossDb:F2} dB)");

        // Most of the energy is still at the tone's frequency, not spread elsewhere.
        var toneRms = level / Math.Sqrt(2);
        var totalRms = SignalMath.Rms(steady);
        Assert.True(toneRms / totalRms > 0.97, $"tone {toneRms:F0} of total {totalRms:F0}");
        Assert.True(SignalMath.ToneAmplitude(steady, 2000, 8000) < level / 30);
    }
}
