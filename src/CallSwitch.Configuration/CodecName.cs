namespace CallSwitch.Configuration;

/// <summary>An audio codec a trunk may be offered (written pcmu, pcma, g722, opus).</summary>
public enum CodecName
{
    Pcmu,
    Pcma,
    G722,
    Opus,
}
