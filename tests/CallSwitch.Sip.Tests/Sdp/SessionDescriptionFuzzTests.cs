using System.Net;
using System.Text;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Sip.Tests.Sdp;

/// <summary>
/// Mutation fuzzing of what a peer's SDP reaches: the parser, the answerer (an INVITE's offer)
/// and the offerer's answer processing (a trunk's 200). From real endpoints' descriptions,
/// thousands of seeded mutants (truncations, byte flips, lines dropped, repeated or swapped,
/// numbers made huge or negative, hostile attribute lines). Nothing may throw: a bad
/// description is refused with a message, and whatever is accepted writes back to SDP that
/// parses again.
/// </summary>
public sealed class SessionDescriptionFuzzTests
{
    private const int MutantsPerSeed = 1500;

    private static readonly IPAddress Local = IPAddress.Parse("203.0.113.5");

    private static readonly string[] Seeds =
    [
        SdpFixtures.Baresip, SdpFixtures.Linphone, SdpFixtures.AudioAndVideo, SdpFixtures.HoldWithNullAddress,
        SdpFixtures.HoldWithSendOnly, SdpFixtures.IPv6, SdpFixtures.Rfc4566Example,
    ];

    private static readonly string[] HostileLines =
    [
        "a=rtpmap:0 PCMU/0", "a=rtpmap:101 telephone-event/-8000", "a=rtpmap:96 opus/48000/0", "a=rtpmap:300 PCMU/8000",
        "a=rtpmap:101", "a=rtpmap: ", "a=fmtp:101 " + new string('9', 5000), "a=fmtp:", "a=ptime:0", "a=ptime:-20",
        "a=ptime:99999999999999999999", "a=maxptime:abc", "a=rtcp:0", "a=rtcp:70000 IN IP4 10.0.0.1", "a=rtcp:5000 IN IP4 300.0.0.1",
        "a=rtcp:5000 IN IP6 ::ffff:1.2.3.4", "a=rtcp-mux", "a=inactive", "a=recvonly", "a=sendonly", "a=sendrecv",
        "c=IN IP4 0.0.0.0", "c=IN IP4 255.255.255.255", "c=IN IP4 224.2.1.1/127/3", "c=IN IP6 ::", "c=IN IP6 fe80::1%eth0",
        "c=IN IP4 example.com", "m=audio 0 RTP/AVP 0", "m=audio 65535/2 RTP/AVP 0", "m=audio 5004 RTP/SAVP 0",
        "m=audio 5004 UDP/TLS/RTP/SAVPF 111", "m=audio 5004 RTP/AVP " + string.Join(' ', Enumerable.Range(0, 128)),
        "m=audio 5004 RTP/AVP", "m=image 5004 udptl t38", "m=video 0 RTP/AVP 96", "b=AS:-1", "b=TIAS:99999999999999999999",
        "a=ssrc:4294967296 cname:x", "a=candidate:1 1 UDP 2130706431 10.0.0.1 5004 typ host", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x",
        "o=- 99999999999999999999 1 IN IP4 10.0.0.1", "t=99999999999999999999 0", "a=\u00e9t\u00e9:1", "a=x:\u0000",
    ];

    [Fact]
    public void EverySeedParsesAndIsAnswered()
    {
        foreach (string seed in Seeds)
        {
            Assert.True(SessionDescription.TryParse(Encoding.UTF8.GetBytes(seed), out SessionDescription? sdp, out string? error), error);
            Assert.NotNull(NewAnswerer().CreateAnswer(sdp).Answer);
        }
    }

    [Fact]
    public void MutatedOffersNeverThrowAndWhatParsesIsAnsweredAndRoundTrips()
    {
        var random = new Random(20261208);
        int parsed = 0, refused = 0, acceptable = 0;
        foreach (string seed in Seeds)
        {
            for (int i = 0; i < MutantsPerSeed; i++)
            {
                byte[] mutant = Mutate(random, seed);
                if (!SessionDescription.TryParse(mutant, out SessionDescription? offer, out string? error))
                {
                    Assert.False(string.IsNullOrWhiteSpace(error));
                    refused++;
                    continue;
                }

                parsed++;
                string written = offer.ToString();
                Assert.True(SessionDescription.TryParse(written, out _, out string? again), $"{again} in:\n{written}");
                SdpAnswerResult answer = NewAnswerer().CreateAnswer(offer);
                Assert.Equal(offer.MediaDescriptions.Count, answer.Answer.MediaDescriptions.Count);
                Assert.True(SessionDescription.TryParse(answer.Answer.ToString(), out _, out string? answerError), answerError);
                if (answer.IsAcceptable)
                {
                    acceptable++;
                }
            }
        }

        // The mutants exercise both sides: many refused, many still parsed and answered.
        Assert.True(refused > Seeds.Length * MutantsPerSeed / 20, $"only {refused} refused");
        Assert.True(parsed > Seeds.Length * MutantsPerSeed / 5, $"only {parsed} parsed");
        Assert.True(acceptable > parsed / 10, $"only {acceptable} of {parsed} answered with a stream");
    }

    [Fact]
    public void MutatedAnswersToOurOfferNeverThrow()
    {
        var random = new Random(81202026);
        int processed = 0, rejected = 0;
        foreach (string seed in Seeds)
        {
            for (int i = 0; i < MutantsPerSeed / 3; i++)
            {
                if (!SessionDescription.TryParse(Mutate(random, seed), out SessionDescription? answer, out _))
                {
                    continue;
                }

                var offerer = NewAnswerer();
                offerer.CreateOffer();
                if (offerer.TryProcessAnswer(answer, out NegotiatedAudioStream? audio, out string? error))
                {
                    Assert.NotNull(audio);
                    processed++;
                }
                else
                {
                    Assert.False(string.IsNullOrWhiteSpace(error));
                    rejected++;
                }
            }
        }

        Assert.True(processed > 0 && rejected > 0, $"{processed} processed, {rejected} rejected");
    }

    private static SdpAudioNegotiator NewAnswerer() => new(new SdpAudioNegotiatorOptions(Local, 40000), 1);

    private static byte[] Mutate(Random random, string seed)
    {
        var lines = seed.Split("\r\n").Where(line => line.Length > 0).ToList();
        switch (random.Next(9))
        {
            case 0:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 1:
            {
                byte[] bytes = Encoding.UTF8.GetBytes(seed);
                for (int i = 0, n = 1 + random.Next(6); i < n; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            case 2:
                lines.RemoveAt(random.Next(lines.Count));
                break;
            case 3:
            {
                int at = random.Next(lines.Count);
                lines.Insert(random.Next(lines.Count), lines[at]);
                break;
            }

            case 4:
            {
                int a = random.Next(lines.Count), b = random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                break;
            }

            case 5:
            {
                int at = random.Next(lines.Count);
                lines[at] = ReplaceANumber(random, lines[at]);
                break;
            }

            default:
                for (int i = 0, n = 1 + random.Next(3); i < n; i++)
                {
                    // After v= (or anywhere): session level, inside a media section, or at the end.
                    lines.Insert(1 + random.Next(lines.Count), HostileLines[random.Next(HostileLines.Length)]);
                }

                break;
        }

        return Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    private static string ReplaceANumber(Random random, string line)
    {
        string[] replacements = ["0", "-1", "65536", "4294967296", "99999999999999999999", "", "1.5", "0x10"];
        var digits = Enumerable.Range(0, line.Length).Where(i => char.IsAsciiDigit(line[i]) && (i == 0 || !char.IsAsciiDigit(line[i - 1]))).ToList();
        if (digits.Count == 0)
        {
            return line + replacements[random.Next(replacements.Length)];
        }

        int start = digits[random.Next(digits.Count)];
        int end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }

        return string.Concat(line.AsSpan(0, start), replacements[random.Next(replacements.Length)], line.AsSpan(end));
    }
}
