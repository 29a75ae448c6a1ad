namespace CallSwitch.Media.Mixing;

/// <summary>
/// Summing 16-bit PCM: voices are added in a 32-bit accumulator and the total is clipped once
/// to the 16-bit range (saturation), so a loud mix distorts instead of wrapping round into
/// full-scale noise of the opposite sign.
/// </summary>
public static class PcmMixing
{
    /// <summary>Adds <paramref name="pcm"/> sample by sample into <paramref name="sum"/>, which must be at least as long.</summary>
    public static void Accumulate(Span<int> sum, ReadOnlySpan<short> pcm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sum.Length, pcm.Length, nameof(sum));
        for (int i = 0; i < pcm.Length; i++)
        {
            sum[i] += pcm[i];
        }
    }

    /// <summary>Writes <paramref name="sum"/> clipped to [-32768, 32767] into <paramref name="pcm"/>, which must be at least as long.</summary>
    public static void Saturate(ReadOnlySpan<int> sum, Span<short> pcm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pcm.Length, sum.Length, nameof(pcm));
        for (int i = 0; i < sum.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(sum[i], short.MinValue, short.MaxValue);
        }
    }
}
