namespace CallSwitch.LoadHarness.Recording;

/// <summary>What a recorded run left behind, as read back from the metadata store and the spool after the switch stopped.</summary>
internal sealed record RecordingFigures
{
    /// <summary>Call rows in the store (every call, recorded or not).</summary>
    public int CallRows { get; init; }

    /// <summary>Call rows by end reason and recorded flag, e.g. "CallerHungUp recorded 300".</summary>
    public string CallsByEnd { get; init; } = "-";

    /// <summary>Recording rows in the store.</summary>
    public int Rows { get; init; }

    public int Complete { get; init; }

    /// <summary>Finished with drops (the recorder fell behind) or a write failure.</summary>
    public int Incomplete { get; init; }

    /// <summary>Never finished (the switch did not close them).</summary>
    public int InProgress { get; init; }

    /// <summary>Rows missing an end, a duration, a size, a hash, a key or a path.</summary>
    public int RowsNotFinished { get; init; }

    /// <summary>Files missing, or not the size or SHA-256 their row says.</summary>
    public int FilesBad { get; init; }

    /// <summary>Packets the recorders' queues dropped (sum of the rows' counters).</summary>
    public long DroppedPackets { get; init; }

    /// <summary>Sum of the rows' file sizes.</summary>
    public long StoredBytes { get; init; }

    /// <summary>Everything in the spool folder.</summary>
    public long SpoolBytes { get; init; }

    public int SpoolFiles { get; init; }

    /// <summary>Largest |audio length − (end − start)| over the rows.</summary>
    public TimeSpan MaxDurationDrift { get; init; }

    public double MedianDurationSeconds { get; init; }

    /// <summary>Recordings exported through the CLI and checked.</summary>
    public int Sampled { get; init; }

    /// <summary>Exports accepted by opusinfo (no warning) and ffprobe (Opus, 2 channels, the row's length ± 100 ms).</summary>
    public int SamplesValid { get; init; }

    /// <summary>Recordings the switch could not start or that failed while writing (its log).</summary>
    public int Failures { get; init; }

    /// <summary>The encoder the switch logged at start.</summary>
    public string Encoder { get; init; } = "?";

    /// <summary>The first problems found (at most 20).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
