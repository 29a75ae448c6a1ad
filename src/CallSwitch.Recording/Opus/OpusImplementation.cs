namespace CallSwitch.Recording.Opus;

/// <summary>Which Opus encoder runs behind <see cref="StereoOpusEncoder"/>.</summary>
public enum OpusImplementation
{
    /// <summary>The system's libopus through Concentus's P/Invoke adapter (Debian: libopus-dev provides libopus.so).</summary>
    Native = 0,

    /// <summary>Concentus's pure C# port of libopus: no native dependency, slower and allocating per frame.</summary>
    Managed = 1,
}
