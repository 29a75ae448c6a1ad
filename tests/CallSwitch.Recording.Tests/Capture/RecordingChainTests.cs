using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Encryption;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Timeline;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Recording.Tests.Capture;

/// <summary>
/// The whole chain as a call will drive it: RTP packets (agent PCMU, prospect G.722 on a 16 kHz
/// timeline, or PCMA on an 8 kHz one) offered to the taps like the relay does → pump → timeline
/// → Opus → Ogg → encrypted file; then the file is decrypted and checked with opusinfo and an
/// ffmpeg decode.
/// </summary>
public sealed class RecordingChainTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-chain-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenSecondCallBecomesAValidSeparatedEncryptedRecording(bool narrowband)
    {
        int rate = narrowband ? 8000 : 16000;
        AudioCodecInfo prospectCodec = narrowband ? AudioCodecInfo.Pcma : AudioCodecInfo.G722;
        var time = new FakeTimeProvider();
        var keys = new RecordingKeyManager(new InMemoryKeyStore(), MasterKey.Generate());
        string encryptedPath = Path.Combine(_directory, $"call-{rate}.ogg.enc");
        var agentTap = new PartyTap(Party.Agent, time: time);
        var prospectTap = new PartyTap(Party.Prospect, time: time);
        Guid keyId;
        TimeSpan recorded;
        using (DataKey key = keys.CreateDataKey())
        using (var encrypted = new EncryptedRecordingWriter(File.Create(encryptedPath), key.Key, key.Id))
        using (var writer = new OpusRecordingWriter(
            encrypted,
            new StereoOpusEncoder(new StereoOpusEncoderOptions { InputSampleRate = rate }),
            new RecordingTags("rec-chain", "campaign-1"),
            serialNumber: 77))
        {
            keyId = key.Id;
            var recorder = new StereoRecorder(writer, time, new StereoRecorderOptions { SampleRate = rate });
            var pump = new RecordingPump(
                recorder,
                time,
                (agentTap, new Dictionary<int, AudioCodecInfo> { [0] = AudioCodecInfo.Pcmu }),
                (prospectTap, new Dictionary<int, AudioCodecInfo> { [prospectCodec.StaticPayloadType] = prospectCodec }),
                CodecRegistry.Default);

            IAudioEncoder pcmu = CodecRegistry.Default.CreateEncoder(AudioCodecInfo.Pcmu);
            IAudioEncoder prospectEncoder = CodecRegistry.Default.CreateEncoder(prospectCodec);
            var packet = new byte[1500];
            var pcm8 = new short[160];
            var prospectPcm = new short[prospectCodec.SamplesPerFrame];
            pump.Start();
            for (int n = 0; n < 500; n++)
            {
                double t = n * 0.02;
                if (t < 4)
                {
                    for (int i = 0; i < 160; i++)
                    {
                        pcm8[i] = Signals.Tone(440, (n * 160) + i, 8000);
                    }

                    int header = RtpPacket.WriteHeader(packet, 0, false, (ushort)n, (uint)(n * 160), 0x1111);
                    int length = header + pcmu.Encode(pcm8, packet.AsSpan(header));
                    agentTap.OnPacket(packet.AsSpan(0, length), MediaDirection.Received);
                    agentTap.OnPacket(packet.AsSpan(0, length), MediaDirection.Sent); // the other direction is ignored
                }

                if (t >= 3)
                {
                    for (int i = 0; i < prospectPcm.Length; i++)
                    {
                        prospectPcm[i] = Signals.Tone(1000, (n * prospectPcm.Length) + i, prospectCodec.SampleRate);
                    }

                    // G.722's RTP clock is 8000 although it samples at 16 kHz (RFC 3551 §4.5.2).
                    int header = RtpPacket.WriteHeader(packet, prospectCodec.StaticPayloadType, false, (ushort)n, 40000 + (uint)(n * 160), 0x2222);
                    int length = header + prospectEncoder.Encode(prospectPcm, packet.AsSpan(header));
                    prospectTap.OnPacket(packet.AsSpan(0, length), MediaDirection.Received);
                }

                // Telephone-event (no codec) is skipped, not decoded.
                int eventLength = RtpPacket.WriteHeader(packet, 101, false, 1, 0, 0x1111) + 4;
                if (n == 100)
                {
                    agentTap.OnPacket(packet.AsSpan(0, eventLength), MediaDirection.Received);
                }

                time.Advance(TimeSpan.FromMilliseconds(20));
                pump.Step();
            }

            recorded = pump.Stop();
            writer.Complete();
            Assert.Equal(1, pump.SkippedPackets);
            Assert.False(recorder.IsIncomplete);
            Assert.Equal(0, recorder.LatePackets);
            Assert.True(encrypted.ChunksWritten >= 10, $"one chunk per flushed Ogg page expected, got {encrypted.ChunksWritten}");
        }

        Assert.Equal(TimeSpan.FromSeconds(10), recorded);

        // Decrypt as playback would, then let the real tools judge the Ogg Opus file.
        string oggPath = Path.Combine(_directory, $"call-{rate}.ogg");
        using (var reader = EncryptedRecordingReader.Open(File.OpenRead(encryptedPath), id => keys.GetDataKey(id).Key.ToArray()))
        using (var ogg = File.Create(oggPath))
        {
            Assert.Equal(keyId, reader.Header.KeyId);
            reader.CopyTo(ogg);
        }

        Assert.DoesNotContain("OpusHead", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(encryptedPath)), StringComparison.Ordinal);
        var info = ExternalTool.Run("opusinfo", false, oggPath);
        Assert.True(info.ExitCode == 0 && info.StandardError.Trim().Length == 0, info.StandardError + info.StandardOutput);
        Assert.True(info.StandardOutput.Contains("Playback length: 0m:10.000s", StringComparison.Ordinal), info.StandardOutput);
        Assert.True(info.StandardOutput.Contains($"Original sample rate: {rate} Hz", StringComparison.Ordinal), info.StandardOutput);

        var decoded = ExternalTool.Run("ffmpeg", true, "-v", "error", "-i", oggPath, "-f", "s16le", "-ac", "2", "-ar", "48000", "-");
        Assert.True(decoded.ExitCode == 0, decoded.StandardError);
        short[] pcm = Signals.ToShorts(decoded.Bytes);

        // The timeline trails arrival by nothing here (packets on time), so the tones sit where they were sent.
        Assert.True(Signals.Decibels(Signals.Power(pcm, 0, 48000, 0.5, 2.5), Signals.Power(pcm, 1, 48000, 0.5, 2.5)) >= 20);
        Assert.True(Signals.Decibels(Signals.Power(pcm, 1, 48000, 5, 9), Signals.Power(pcm, 0, 48000, 5, 9)) >= 20);
        Assert.True(Signals.Decibels(Signals.Tonepower(pcm, 0, 48000, 440, 3.1, 3.9), Signals.Tonepower(pcm, 0, 48000, 1000, 3.1, 3.9)) >= 20);
        Assert.True(Signals.Decibels(Signals.Tonepower(pcm, 1, 48000, 1000, 3.1, 3.9), Signals.Tonepower(pcm, 1, 48000, 440, 3.1, 3.9)) >= 20);
    }

    [Fact]
    public void AFullTapDropsCountsAndMarksTheRecordingIncomplete()
    {
        var time = new FakeTimeProvider();
        var recorder = new StereoRecorder(new FrameCollector(keep: false), time);
        var agentTap = new PartyTap(Party.Agent, capacity: 4, time: time);
        var pump = new RecordingPump(
            recorder,
            time,
            (agentTap, new Dictionary<int, AudioCodecInfo> { [8] = AudioCodecInfo.Pcma }),
            (new PartyTap(Party.Prospect, time: time), new Dictionary<int, AudioCodecInfo>()),
            CodecRegistry.Default);
        pump.Start();
        var packet = new byte[12 + 160];
        for (int n = 0; n < 10; n++)
        {
            RtpPacket.WriteHeader(packet, 8, false, (ushort)n, (uint)(n * 160), 5);
            agentTap.OnPacket(packet, MediaDirection.Received); // the consumer is stalled
        }

        time.Advance(TimeSpan.FromMilliseconds(200));
        pump.Step();
        Assert.Equal(6, agentTap.Dropped);
        Assert.True(recorder.IsIncomplete);
        Assert.Equal(6, recorder.DroppedPackets);
        Assert.Equal(TimeSpan.FromMilliseconds(200), pump.Stop());
    }

    [Fact]
    public void APacketLongerThanTheTapsSlotsIsDroppedAndCounted()
    {
        var tap = new PartyTap(Party.Agent, capacity: 4, maxPacketLength: 200);
        tap.OnPacket(new byte[201], MediaDirection.Received);
        tap.OnPacket(new byte[200], MediaDirection.Received);
        Assert.Equal(1, tap.Dropped);
        Assert.Equal(1, tap.Accepted);
        Assert.True(tap.TryRead(new byte[1500], out int length, out _));
        Assert.Equal(200, length);
    }

    [Fact]
    public async Task RunAsyncPacesFramesWithTheTimeProviderAndStopsOnCancel()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector(keep: false);
        var recorder = new StereoRecorder(frames, time);
        RecordingPump pump = PumpWithoutCodecs(recorder, time);
        using var stop = new CancellationTokenSource();
        Task<TimeSpan> run = Task.Run(() => pump.RunAsync(stop.Token));
        while (recorder.FramesEmitted == 0 && !run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(1);
        }

        for (int i = 0; i < 49; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(1);
        }

        await stop.CancelAsync();
        TimeSpan recorded = await run;
        Assert.Equal(recorded.Ticks / TimeSpan.FromMilliseconds(20).Ticks, frames.Frames);
        Assert.InRange(recorded.TotalMilliseconds, 1000, 3000); // fake time; the loop may overshoot while the pump task is scheduled
    }

    [Fact]
    public async Task APumpStartedByItsOwnerKeepsThatStartAndEndsWhereItWasToldWhateverItsTaskWaited()
    {
        var time = new FakeTimeProvider();
        var frames = new FrameCollector(keep: false);
        var recorder = new StereoRecorder(frames, time);
        RecordingPump pump = PumpWithoutCodecs(recorder, time);

        // The owner starts the timeline; its task only gets a thread 300 ms later (a busy pool).
        pump.Start();
        time.Advance(TimeSpan.FromMilliseconds(300));
        using var stop = new CancellationTokenSource();
        Task<TimeSpan> run = Task.Run(() => pump.RunAsync(stop.Token));

        // The recording ends 2 s after its start; the task notices only 400 ms later.
        time.Advance(TimeSpan.FromMilliseconds(1700));
        pump.EndAt(time.GetTimestamp());
        await stop.CancelAsync();
        time.Advance(TimeSpan.FromMilliseconds(400));
        TimeSpan recorded = await run;
        Assert.Equal(TimeSpan.FromSeconds(2), recorded);
        Assert.Equal(100, frames.Frames);
    }

    /// <summary>A pump whose taps carry nothing it can decode: only the timeline's pacing is under test.</summary>
    private static RecordingPump PumpWithoutCodecs(StereoRecorder recorder, TimeProvider time) =>
        new(
            recorder,
            time,
            (new PartyTap(Party.Agent, time: time), new Dictionary<int, AudioCodecInfo>()),
            (new PartyTap(Party.Prospect, time: time), new Dictionary<int, AudioCodecInfo>()),
            CodecRegistry.Default);
}
