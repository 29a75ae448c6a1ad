using BenchmarkDotNet.Attributes;
using CallSwitch.Media.Announcements;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Benchmarks.Codecs;

/// <summary>
/// Per-tick cost of playing a pre-encoded announcement: pulling the next 20 ms payload from an
/// <see cref="AnnouncementPlayer"/> (a copy of 160 bytes; the encoding was done at load).
/// </summary>
[MemoryDiagnoser]
public class AnnouncementBenchmarks
{
    private readonly byte[] _payload = new byte[160];
    private EncodedAnnouncement _audio = null!;
    private AnnouncementPlayer _player = null!;

    [GlobalSetup]
    public void Setup()
    {
        // 60 s of a 16 kHz 16-bit mono tone, built in memory as a WAV file.
        const int rate = 16000;
        var samples = rate * 60;
        var file = new byte[44 + (samples * 2)];
        "RIFF"u8.CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(4), file.Length - 8);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BitConverter.TryWriteBytes(file.AsSpan(16), 16);
        BitConverter.TryWriteBytes(file.AsSpan(20), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(22), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(24), rate);
        BitConverter.TryWriteBytes(file.AsSpan(28), rate * 2);
        BitConverter.TryWriteBytes(file.AsSpan(32), (short)2);
        BitConverter.TryWriteBytes(file.AsSpan(34), (short)16);
        "data"u8.CopyTo(file.AsSpan(36));
        BitConverter.TryWriteBytes(file.AsSpan(40), samples * 2);
        for (var i = 0; i < samples; i++)
        {
            BitConverter.TryWriteBytes(file.AsSpan(44 + (i * 2)), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        }

        _audio = Announcement.FromWaveBytes(file, "bench.wav").GetEncoded(AudioCodecInfo.G722);
        _player = _audio.CreatePlayer();
    }

    [Benchmark]
    public int NextFrame()
    {
        if (!_player.TryGetNextFrame(_payload, out var length))
        {
            _player = _audio.CreatePlayer(); // every 3000 frames; amortised, outside the steady state
            _player.TryGetNextFrame(_payload, out length);
        }

        return length;
    }
}
