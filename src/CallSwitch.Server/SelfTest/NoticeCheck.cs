using System.Globalization;
using CallSwitch.Calls.Routing;
using CallSwitch.Compliance.Rules;
using CallSwitch.Media.Analysis;
using CallSwitch.Media.Codecs;

namespace CallSwitch.Server.SelfTest;

/// <summary>
/// Check 1, measured on what the prospect's party received: the notice, audible and whole, then
/// the agent. Each 20 ms packet is decoded; the agent is heard from the first of three packets in
/// a row that are the agent's tone; everything before is what played as the notice.
/// </summary>
internal static class NoticeCheck
{
    public const int Number = 1;
    public const string Name = "notice before the agent";

    /// <summary>A notice quieter than this on the wire informs nobody (speech normalised as the shipped notices are: about −20 dBFS).</summary>
    public const double AudibleDbfs = -40;

    /// <summary>Up to this much of the notice may be missing at its start (the first packets cross the relay while the prospect's side latches).</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(60);

    /// <summary>A packet is the agent's tone when the tone holds this share of its power (a pure tone: 0.5 by the meter's normalisation).</summary>
    private const double ToneShare = 0.35;

    public static SelfTestCheck Judge(string campaign, Campaign routed, PartyCall prospect)
    {
        bool records = (routed.Recording?.Mode ?? RecordingMode.Never) != RecordingMode.Never;
        if (routed.Announcement is not { } notice)
        {
            return records
                ? Check(campaign, SelfTestOutcome.Fail, "the campaign records calls but plays no notice to the prospect")
                : Check(campaign, SelfTestOutcome.NotApplicable, "no notice configured and the campaign records nothing");
        }

        List<short[]> frames = Decode(prospect);
        int agentFrom = FirstAgentFrame(frames, prospect.Codec.SampleRate);
        if (agentFrom < 0)
        {
            return Check(campaign, SelfTestOutcome.Fail, $"the prospect never heard the agent's {TestCalls.AgentHz:0} Hz tone ({frames.Count} packets received)");
        }

        TimeSpan heard = AudioCodecInfo.FrameDuration * agentFrom;
        double level = ToneMeter.Dbfs(ToneMeter.Power(frames.Take(agentFrom).SelectMany(f => f).ToArray()));
        double fileLevel = ToneMeter.Dbfs(ToneMeter.Power(notice.GetPcm(8000).Span));
        string measured = $"{Seconds(heard)} s heard of the {Seconds(notice.Duration)} s notice at {Db(level)} dBFS";
        if (heard < notice.Duration - Tolerance)
        {
            return Check(campaign, SelfTestOutcome.Fail, $"the agent was heard before the notice ended: {measured}");
        }

        if (level < AudibleDbfs)
        {
            string why = fileLevel < AudibleDbfs
                ? $"the notice file {Path.GetFileName(notice.Source)} is silent ({Db(fileLevel)} dBFS)"
                : $"the switch sent silence instead of the notice (its file is at {Db(fileLevel)} dBFS)";
            return Check(campaign, SelfTestOutcome.Fail, $"the prospect heard no notice: {measured}, below {AudibleDbfs} dBFS: {why}");
        }

        return Check(campaign, SelfTestOutcome.Ok, $"{measured}, then the agent");
    }

    private static List<short[]> Decode(PartyCall prospect)
    {
        IAudioDecoder decoder = CodecRegistry.Default.CreateDecoder(prospect.Codec);
        var frames = new List<short[]>();
        foreach (ReceivedFrame frame in prospect.Media.Received)
        {
            if (frame.PayloadType != prospect.PayloadType)
            {
                continue;
            }

            var pcm = new short[decoder.GetSampleCount(frame.Payload.Length)];
            decoder.Decode(frame.Payload, pcm);
            frames.Add(pcm);
        }

        return frames;
    }

    private static int FirstAgentFrame(List<short[]> frames, int sampleRate)
    {
        bool IsAgent(short[] pcm)
        {
            double power = ToneMeter.Power(pcm);
            return ToneMeter.Dbfs(power) >= AudibleDbfs && ToneMeter.TonePower(pcm, sampleRate, TestCalls.AgentHz) >= ToneShare * power;
        }

        for (int i = 0; i + 2 < frames.Count; i++)
        {
            if (IsAgent(frames[i]) && IsAgent(frames[i + 1]) && IsAgent(frames[i + 2]))
            {
                return i;
            }
        }

        return -1;
    }

    private static SelfTestCheck Check(string campaign, SelfTestOutcome outcome, string detail) => new(campaign, Number, Name, outcome, detail);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Db(double db) => double.IsFinite(db) && db > -150 ? db.ToString("0", CultureInfo.InvariantCulture) : "-inf";
}
