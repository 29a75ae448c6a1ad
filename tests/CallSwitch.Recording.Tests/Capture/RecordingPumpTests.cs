using CallSwitch.Media.Codecs;
using CallSwitch.Media.Relay;
using CallSwitch.Media.Rtp;
using CallSwitch.Recording.Capture;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.Recording.Timeline;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Recording.Tests.Capture;

/// <summary>The pump when its thread runs late: packets are placed by when they reached the tap, not by when they were drained.</summary>
public class RecordingPumpTests
{
    [Theory]
    [InlineData(0x1111u, 0x1111u)]
    [InlineData(0x1111u, 0x2222u)]
    public void StepsThatComeHundredsOfMillisecondsLateLeaveTheToneWholeAndInPhase(uint ssrcBefore, uint ssrcDuring)
    {
        // A 2.5 kHz tone (a phase jump of a few samples shows at this frequency) in 20 ms PCMU
        // packets, reaching the tap on time; the pump steps every 20 ms, then for 1.5 s only every
        // 300 ms (a machine short of CPU), then every 20 ms again. The stream's SSRC may change
        // as the stalls begin (the left channel's hand-over to the mix when a supervisor barges).
        var time = new FakeTimeProvider();
        var frames = new FrameCollector();
        var recorder = new StereoRecorder(frames, time);
        var agentTap = new PartyTap(Party.Agent, time: time);
        RecordingPump pump = AgentPcmuPump(recorder, time, agentTap);
        IAudioEncoder pcmu = CodecRegistry.Default.CreateEncoder(AudioCodecInfo.Pcmu);
        var packet = new byte[200];
        var pcm = new short[160];
        pump.Start();
        for (int n = 0; n < 200; n++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            for (int i = 0; i < 160; i++)
            {
                pcm[i] = Signals.Tone(2500, (n * 160) + i, 8000);
            }

            bool stalled = n is >= 50 and < 125;
            int header = RtpPacket.WriteHeader(packet, 0, false, (ushort)n, (uint)(n * 160) + (n >= 50 ? 7000u : 0u), n >= 50 ? ssrcDuring : ssrcBefore);
            agentTap.OnPacket(packet.AsSpan(0, header + pcmu.Encode(pcm, packet.AsSpan(header))), MediaDirection.Received);
            if (!stalled || n % 15 == 14)
            {
                pump.Step();
            }
        }

        pump.Stop();
        short[] audio = [.. frames.Samples];

        // From before the first stall to after the last: every 100 ms full, and the whole span
        // one tone (a coherent sum: gaps or phase jumps would lower it).
        const int Rate = 16000;
        const double Full = 8000.0 * 8000 / 4;
        for (double t = 0.9; t < 2.9; t += 0.1)
        {
            Assert.True(Signals.Decibels(Signals.Tonepower(audio, 0, Rate, 2500, t, t + 0.1), Full) > -1, $"the tone is missing at {t:F1} s");
        }

        Assert.True(Signals.Decibels(Signals.Tonepower(audio, 0, Rate, 2500, 0.9, 2.9), Full) > -1, "the tone's phase jumps");
        Assert.Equal(0, recorder.LatePackets);
    }

    [Fact]
    public void ARecordingThatLostPacketsSaysWhenAndHowLongItWasNotStepped()
    {
        // Steps every 20 ms for 1 s, then none for 2 s while packets keep coming into a tap of
        // 64 slots (1.28 s), then every 20 ms again.
        var time = new FakeTimeProvider();
        var recorder = new StereoRecorder(new FrameCollector(), time);
        var agentTap = new PartyTap(Party.Agent, capacity: 64, time: time);
        RecordingPump pump = AgentPcmuPump(recorder, time, agentTap);
        var packet = new byte[12 + 160];
        pump.Start();
        Assert.Null(pump.Timing.FirstDropSeenAfter);
        for (int n = 0; n < 200; n++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            RtpPacket.WriteHeader(packet, 0, false, (ushort)n, (uint)(n * 160), 0x1234);
            agentTap.OnPacket(packet, MediaDirection.Received);
            if (n is < 50 or >= 150)
            {
                pump.Step();
            }
        }

        RecordingPumpTiming timing = pump.Timing;
        Assert.True(agentTap.Dropped > 0);
        Assert.Equal(TimeSpan.FromMilliseconds(3020), timing.FirstDropSeenAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(2020), timing.GapBeforeFirstDrop);
        Assert.Equal(TimeSpan.FromMilliseconds(2020), timing.LongestGap);
        Assert.Equal(TimeSpan.Zero, timing.LongestStep); // the fake clock does not move inside a step
        pump.Stop();
        Assert.True(recorder.IsIncomplete);
    }

    /// <summary>A pump over the agent's tap (PCMU, payload type 0) and an empty prospect's tap.</summary>
    private static RecordingPump AgentPcmuPump(StereoRecorder recorder, FakeTimeProvider time, PartyTap agentTap) => new(
        recorder,
        time,
        (agentTap, new Dictionary<int, AudioCodecInfo> { [0] = AudioCodecInfo.Pcmu }),
        (new PartyTap(Party.Prospect, time: time), new Dictionary<int, AudioCodecInfo>()),
        CodecRegistry.Default);
}
