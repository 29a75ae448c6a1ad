namespace CallSwitch.TestSupport.Media;

/// <summary>
/// The tests' name for <see cref="CallSwitch.Media.Analysis.ToneMeter"/> (the self-test measures
/// with the same meter in production code): mean power and the power at one frequency.
/// </summary>
public static class ToneMeter
{
    /// <inheritdoc cref="CallSwitch.Media.Analysis.ToneMeter.Power"/>
    public static double Power(ReadOnlySpan<short> samples, int stride = 1, int offset = 0) =>
        CallSwitch.Media.Analysis.ToneMeter.Power(samples, stride, offset);

    /// <inheritdoc cref="CallSwitch.Media.Analysis.ToneMeter.TonePower"/>
    public static double TonePower(ReadOnlySpan<short> samples, int sampleRate, double frequency, int stride = 1, int offset = 0) =>
        CallSwitch.Media.Analysis.ToneMeter.TonePower(samples, sampleRate, frequency, stride, offset);

    /// <inheritdoc cref="CallSwitch.Media.Analysis.ToneMeter.Decibels"/>
    public static double Decibels(double power, double reference) => CallSwitch.Media.Analysis.ToneMeter.Decibels(power, reference);
}
