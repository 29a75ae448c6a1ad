using System.Text;
using CallSwitch.Sip.Auth;
using static CallSwitch.Sip.Tests.Auth.DigestTestAccounts;

namespace CallSwitch.Sip.Tests.Auth;

/// <summary>Throws random and mutated values at the parsers and the verifier: nothing may throw or authenticate.</summary>
public sealed class DigestFuzzTests
{
    private const string Alphabet = "Digest usernamrlcoqp=\",\\ \t\r\n:;@/-.0123456789abcdefABCDEF\0é";

    [Fact]
    public void Random_and_mutated_values_never_throw_and_never_authenticate()
    {
        var time = CreateTime();
        var store = CreateStore();
        var server = CreateServer(time, allowRfc2069: true);
        var random = new Random(7616);
        var nonce = server.CreateChallenges()[0].Nonce;
        string[] seeds =
        [
            Sign(nonce),
            Sign(nonce, algorithm: DigestAlgorithm.Sha256, uri: "sip:127.0.0.1;transport=udp"),
            Sign(nonce, qop: null),
            server.CreateChallengeHeaderValues()[0],
        ];

        for (var i = 0; i < 20_000; i++)
        {
            var value = i % 4 == 0 ? RandomString(random) : Mutate(seeds[random.Next(seeds.Length)], random);

            DigestChallenge.TryParse(value, out _);
            if (DigestCredentials.TryParse(value, out var credentials))
            {
                _ = credentials.TryGetNonceCount(out _);
            }

            var result = server.Verify("REGISTER", value, store);
            if (result.IsOk)
            {
                // A mutation may only succeed by leaving everything the digest covers intact.
                Assert.NotNull(credentials);
                Assert.Equal(User, credentials.Username);
                Assert.Equal(nonce, credentials.Nonce);
            }
        }
    }

    [Fact]
    public void Huge_and_pathological_values_are_handled()
    {
        var server = CreateServer(CreateTime());
        var store = CreateStore();
        string[] values =
        [
            new string('"', 100_000),
            "Digest " + new string(',', 100_000),
            "Digest " + string.Concat(Enumerable.Repeat("a=b,", 5000)),
            "Digest username=\"" + new string('\\', 7000) + "\"",
            "Digest username=\"1001\", realm=\"callswitch\", nonce=\"" + new string('A', 48) + "\", uri=\"x\", response=\""
                + new string('0', 32) + "\", qop=auth, nc=ffffffff, cnonce=\"c\"",
            "Digest username=\"1001\", realm=\"callswitch\", nonce=\"" + new string('=', 48) + "\", uri=\"x\", response=\""
                + new string('0', 64) + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"c\"",
        ];

        foreach (var value in values)
        {
            Assert.NotEqual(DigestVerificationStatus.Ok, server.Verify("REGISTER", value, store).Status);
            DigestChallenge.TryParse(value, out _);
        }
    }

    private static string RandomString(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 300);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Mutate(string seed, Random random)
    {
        var builder = new StringBuilder(seed);
        var mutations = random.Next(1, 6);
        for (var m = 0; m < mutations && builder.Length > 0; m++)
        {
            var position = random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0:
                    builder.Remove(position, Math.Min(builder.Length - position, random.Next(1, 20)));
                    break;
                case 1:
                    builder.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    builder[position] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 3:
                    builder.Insert(position, builder.ToString(position, Math.Min(builder.Length - position, random.Next(1, 40))));
                    break;
                default:
                    builder.Append(", x=\"").Append(RandomString(random)).Append('"');
                    break;
            }
        }

        return builder.ToString();
    }
}
