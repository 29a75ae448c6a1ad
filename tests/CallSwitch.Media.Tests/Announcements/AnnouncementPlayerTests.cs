using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;
using NAudio.Wave;

namespace CallSwitch.Media.Tests.Announcements;

public sealed class AnnouncementPlayerTests
{
    private static readonly Announcement Tone = Announcement.FromWaveBytes(
        WaveFiles.Sine(new WaveFormat(16000, 16, 1), 440, TimeSpan.FromMilliseconds(200)), "tone.wav");

    [Fact]
    public async Task PlaysEveryFrameInOrderThenCompletes()
    {
        var player = Tone.CreatePlayer(AudioCodecInfo.Pcmu);
        var encoded = Tone.GetEncoded(AudioCodecInfo.Pcmu);
        var payload = new byte[200];
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(AnnouncementPlaybackState.Playing, player.State);
            Assert.True(player.TryGetNextFrame(payload, out var length));
            Assert.Equal(160, length);
            Assert.Equal(encoded.GetFrame(i).ToArray(), payload[..length]);
        }

        Assert.Equal(AnnouncementPlaybackState.Completed, player.State);
        Assert.True(player.PlayedInFull);
        Assert.True(player.Completion.IsCompletedSuccessfully);
        Assert.Equal(AnnouncementPlaybackState.Completed, await player.Completion);
        Assert.False(player.TryGetNextFrame(payload, out var none));
        Assert.Equal(0, none);
        Assert.False(player.Stop()); // too late to cut it short
        Assert.Equal(10, player.FramesPlayed);
        Assert.Equal(TimeSpan.FromMilliseconds(200), player.Position);
    }

    [Fact]
    public async Task StopCutsItShort()
    {
        var player = Tone.CreatePlayer(AudioCodecInfo.G722);
        var payload = new byte[160];
        Assert.True(player.TryGetNextFrame(payload, out _));
        Assert.True(player.Stop());
        Assert.False(player.Stop());
        Assert.False(player.TryGetNextFrame(payload, out _));
        Assert.Equal(AnnouncementPlaybackState.Stopped, player.State);
        Assert.False(player.PlayedInFull);
        Assert.Equal(AnnouncementPlaybackState.Stopped, await player.Completion);
        Assert.Equal(1, player.FramesPlayed);
        Assert.Equal(Tone.Sha256, player.Audio.Announcement.Sha256);
    }

    [Fact]
    public void PlayersAreIndependent()
    {
        var a = Tone.CreatePlayer(AudioCodecInfo.Pcma);
        var b = Tone.CreatePlayer(AudioCodecInfo.Pcma);
        var payload = new byte[160];
        a.TryGetNextFrame(payload, out _);
        a.Stop();
        Assert.True(b.TryGetNextFrame(payload, out _));
        Assert.Equal(1, b.FramesPlayed);
    }

    [Fact]
    public void RejectsASmallBuffer() =>
        Assert.Throws<ArgumentException>(() => Tone.CreatePlayer(AudioCodecInfo.Pcmu).TryGetNextFrame(new byte[10], out _));

    [Fact]
    public void PullingFramesAllocatesNothing()
    {
        var long10s = Announcement.FromWaveBytes(
            WaveFiles.Sine(new WaveFormat(8000, 16, 1), 440, TimeSpan.FromSeconds(10)), "long.wav");
        var player = long10s.CreatePlayer(AudioCodecInfo.Pcmu);
        var payload = new byte[160];
        player.TryGetNextFrame(payload, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 400; i++)
        {
            player.TryGetNextFrame(payload, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
