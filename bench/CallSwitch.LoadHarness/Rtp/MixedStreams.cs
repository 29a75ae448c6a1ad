using System.Diagnostics;

namespace CallSwitch.LoadHarness.Rtp;

/// <summary>
/// The mixed streams the harness receives (a supervisor's, an agent's in whisper): they carry
/// none of the harness's own fields, so each is judged by its RTP header, per socket, over the
/// window (by arrival): packets missing = the span of its sequence numbers − packets received
/// (RFC 3550 A.3), ticks skipped = the span of its timestamps in 20 ms frames − the span of its
/// sequence numbers (frames the mixer never produced).
/// </summary>
/// <remarks>Receive thread only; read after the generator stopped.</remarks>
internal sealed class MixedStreams
{
    private readonly long[] _first;
    private readonly long[] _last;
    private readonly long[] _firstTimestamp;
    private readonly long[] _lastTimestamp;
    private readonly long[] _received;
    private readonly int[] _cycles;
    private readonly int[] _timestampCycles;
    private readonly int[] _previous;
    private readonly long[] _previousTimestamp;

    public MixedStreams(int sockets)
    {
        _first = new long[sockets];
        _last = new long[sockets];
        _firstTimestamp = new long[sockets];
        _lastTimestamp = new long[sockets];
        _received = new long[sockets];
        _cycles = new int[sockets];
        _timestampCycles = new int[sockets];
        _previous = new int[sockets];
        _previousTimestamp = new long[sockets];
        Array.Fill(_previous, -1);
        Array.Fill(_previousTimestamp, -1);
    }

    /// <summary>Streams that received at least one packet in the window.</summary>
    public int Streams => _received.Count(r => r > 0);

    public long Received => _received.Sum();

    /// <summary>Packets the sequence numbers say were sent in the window but never arrived.</summary>
    public long Missing => Sum(i => (_last[i] - _first[i] + 1) - _received[i]);

    /// <summary>20 ms frames the timestamps step over without a packet (the mixer's skipped ticks).</summary>
    public long SkippedTicks => Sum(i => ((_lastTimestamp[i] - _firstTimestamp[i]) / 160) - (_last[i] - _first[i]));

    /// <summary>Notes one packet on <paramref name="socket"/>; counted when <paramref name="inWindow"/>.</summary>
    public void Add(int socket, ushort sequence, uint timestamp, bool inWindow)
    {
        // Extend both counters across their wrap (the mixer starts them at random values).
        if (_previous[socket] >= 0 && sequence < _previous[socket] && _previous[socket] - sequence > 0x8000)
        {
            _cycles[socket]++;
        }

        if (_previousTimestamp[socket] >= 0 && timestamp < _previousTimestamp[socket] && _previousTimestamp[socket] - timestamp > 0x8000_0000L)
        {
            _timestampCycles[socket]++;
        }

        _previous[socket] = sequence;
        _previousTimestamp[socket] = timestamp;
        if (!inWindow)
        {
            return;
        }

        long extended = ((long)_cycles[socket] << 16) + sequence;
        long extendedTimestamp = ((long)_timestampCycles[socket] << 32) + timestamp;
        if (_received[socket] == 0)
        {
            _first[socket] = extended;
            _firstTimestamp[socket] = extendedTimestamp;
        }

        _last[socket] = Math.Max(_last[socket], extended);
        _lastTimestamp[socket] = Math.Max(_lastTimestamp[socket], extendedTimestamp);
        _received[socket]++;
    }

    private long Sum(Func<int, long> perStream)
    {
        long sum = 0;
        for (int i = 0; i < _received.Length; i++)
        {
            if (_received[i] > 0)
            {
                sum += perStream(i);
            }
        }

        Debug.Assert(sum >= 0, "a stream's span is never shorter than what it received");
        return sum;
    }
}
