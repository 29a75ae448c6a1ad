namespace CallSwitch.Configuration;

/// <summary>A digest algorithm the switch challenges agents with (written md5, sha-256).</summary>
public enum ChallengeAlgorithm
{
    Md5,
    Sha256,
}
