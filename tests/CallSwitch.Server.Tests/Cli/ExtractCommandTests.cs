using System.Text;
using CallSwitch.Compliance.Access;
using CallSwitch.Compliance.Storage;
using CallSwitch.Compliance.Storage.Sqlite;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Vault;
using CallSwitch.Server.Cli;
using CallSwitch.Server.Extracts;
using CallSwitch.TestSupport;
using Concentus;

namespace CallSwitch.Server.Tests.Cli;

/// <summary>
/// <c>callswitch recordings extract</c> on a real recording (agent 440 Hz on the left, prospect
/// 1 kHz on the right): the extract is in the vault, encrypted, mono, the agent's tone there and
/// the prospect's not; its row has the campaign's extract retention and no link to the call; the
/// making is audited; a wrong purpose or role is refused and audited.
/// </summary>
public sealed class ExtractCommandTests : IDisposable
{
    private const string Password = "a long password";
    private readonly string _config = ConfigFixture.WriteLocalConfig(yaml => yaml.Replace("demo-fr", "spring", StringComparison.Ordinal));

    private string Folder => Path.GetDirectoryName(_config)!;

    private string Data => Path.Combine(Folder, "data");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    [Fact]
    public async Task ASupervisorsExtractIsTheAgentsChannelOnlyEncryptedInTheVaultWithItsOwnRetentionAndAudited()
    {
        var (recording, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Data, Path.Combine(Folder, "spool"), Conversation);
        await AddUserAsync("boss", new RoleGrant(Role.Supervisor, AccessScope.Team("paris")));

        var (code, output, error) = await RunAsync(new RecordingArguments { Id = recording.ToString("N"), Purpose = "training", As = "boss" });

        Assert.True(code == 0, error);
        Assert.Matches("^extract [0-9a-f]{32}: agent 1001, campaign spring, 3\\.0 s, agent's channel only, kept until \\d{4}-\\d{2}-\\d{2}\\s*$", output);
        Assert.DoesNotContain(recording.ToString("N"), output, StringComparison.Ordinal);

        await using SqliteMetadataStore store = Open();
        TrainingExtract extract = Assert.Single(await store.ListExtractsAsync("1001"));
        Assert.Equal(("spring", "boss", TimeSpan.FromDays(30)), (extract.CampaignId, extract.CreatedBy, extract.RetentionUntil - extract.CreatedAt));
        Assert.StartsWith(Path.Combine(Folder, "spool", TrainingExtracts.Folder), extract.FilePath, StringComparison.Ordinal);

        byte[] plain = await DecryptAsync(extract.FilePath);
        Assert.NotEqual("OggS"u8.ToArray(), File.ReadAllBytes(extract.FilePath)[..4]);
        List<(byte[] Packet, long Granule)> packets = OggPacketReader.Read(plain);
        Assert.Equal(1, packets[0].Packet[9]);
        string tags = Encoding.UTF8.GetString(packets[1].Packet);
        Assert.Contains("RECORDING_ID=" + extract.Id.ToString("N"), tags, StringComparison.Ordinal);
        Assert.DoesNotContain(recording.ToString("N"), tags, StringComparison.Ordinal);

        short[] mono = DecodeMono(packets);
        double agent = TonePower(mono, 440, 0.5, 2.5);
        double prospect = TonePower(mono, 1000, 0.5, 2.5);
        Assert.True(10 * Math.Log10(agent / Math.Max(prospect, 1e-9)) >= 40, $"agent {agent:E1}, prospect {prospect:E1}");

        AuditEvent made = Assert.Single(await store.ReadAuditAsync(0, 100), e => e.Event.Action == AuditAction.Extract).Event;
        Assert.Equal(("boss", recording, "training"), (made.Actor, made.RecordingId, made.Purpose));
    }

    [Fact]
    public async Task AnUndeclaredPurposeOrARoleWithoutTheRightIsRefusedAuditedAndLeavesNothing()
    {
        var (recording, _) = await RecordingCommandsTests.WriteOneRecordingAsync(Data, Path.Combine(Folder, "spool"), Conversation);
        await AddUserAsync("qa", new RoleGrant(Role.Quality, AccessScope.All));
        await AddUserAsync("mgr", new RoleGrant(Role.Manager, AccessScope.All));
        await AddUserAsync("root", new RoleGrant(Role.Admin, AccessScope.All));

        var (code, _, error) = await RunAsync(new RecordingArguments { Id = recording.ToString("N"), Purpose = "marketing", As = "qa" });
        Assert.Equal(1, code);
        Assert.Contains("extract refused to qa: purpose 'marketing' is not declared by campaign spring", error, StringComparison.Ordinal);

        // The shipped configuration lets supervisors and quality make extracts, not managers.
        (code, _, error) = await RunAsync(new RecordingArguments { Id = recording.ToString("N"), Purpose = "training", As = "mgr" });
        Assert.Equal(1, code);
        Assert.Contains("campaign spring does not let a manager make training extracts", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync(new RecordingArguments { Id = recording.ToString("N"), Purpose = "training", As = "root" });
        Assert.Equal(1, code);

        (code, _, error) = await RunAsync(new RecordingArguments { Id = recording.ToString("N") });
        Assert.Equal(2, code);
        Assert.Contains("needs --purpose", error, StringComparison.Ordinal);

        await using SqliteMetadataStore store = Open();
        Assert.Empty(await store.ListExtractsAsync());
        Assert.Equal(3, (await store.ReadAuditAsync(0, 100)).Count(e => e.Event.Action == AuditAction.AccessDenied));
        Assert.False(Directory.Exists(Path.Combine(Folder, "spool", TrainingExtracts.Folder)) && Directory.EnumerateFiles(Path.Combine(Folder, "spool", TrainingExtracts.Folder)).Any());
    }

    [Fact]
    public async Task ASampleTakesTheRulesRecordingsOfTheAgentInThePeriod()
    {
        await RecordingCommandsTests.WriteOneRecordingAsync(Data, Path.Combine(Folder, "spool"), Conversation);
        await AddUserAsync("qa", new RoleGrant(Role.Quality, AccessScope.All));

        var (code, output, error) = await RunAsync(new RecordingArguments { Sample = true, Agent = "1001", From = "2026-03-01", To = "2026-03-31", Purpose = "training", As = "qa" });
        Assert.True(code == 0, error);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("extract ", StringComparison.Ordinal));

        (code, output, _) = await RunAsync(new RecordingArguments { Sample = true, Agent = "1001", From = "2026-04-01", To = "2026-04-30", Purpose = "training", As = "qa" });
        Assert.Equal(0, code);
        Assert.Contains("no recording of agent 1001 to sample in the period", output, StringComparison.Ordinal);

        (code, _, string missing) = await RunAsync(new RecordingArguments { Sample = true, Agent = "1001", Purpose = "training", As = "qa" });
        Assert.Equal(2, code);
        Assert.Contains("--sample needs --agent, --from and --to", missing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 3, new[] { 0, 3, 6 })]
    [InlineData(2, 3, new[] { 0, 1 })]
    [InlineData(7, 1, new[] { 0 })]
    public void TheSampleIsSpreadEvenly(int count, int take, int[] expected) =>
        Assert.Equal(expected, TrainingExtracts.Spread(Enumerable.Range(0, count).ToList(), take));

    /// <summary>3 s of both parties talking: the agent's 440 Hz on the left, the prospect's 1 kHz on the right.</summary>
    private static byte[] Conversation(Guid id)
    {
        using var stream = new MemoryStream();
        using (var writer = new OpusRecordingWriter(
            stream,
            new StereoOpusEncoder(new StereoOpusEncoderOptions { Implementation = OpusImplementation.Managed, InputSampleRate = 16000 }),
            new RecordingTags(id.ToString("N"), "spring"),
            serialNumber: 77))
        {
            var frame = new short[writer.Encoder.FrameSize * 2];
            long n = 0;
            for (int f = 0; f < 150; f++)
            {
                for (int i = 0; i < writer.Encoder.FrameSize; i++, n++)
                {
                    frame[2 * i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * n / 16000));
                    frame[(2 * i) + 1] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * n / 16000));
                }

                writer.OnFrame(frame);
            }

            writer.Complete();
        }

        return stream.ToArray();
    }

    private static short[] DecodeMono(List<(byte[] Packet, long Granule)> packets)
    {
        using IOpusDecoder decoder = OpusCodecFactory.CreateDecoder(48000, 1);
        var frame = new short[5760];
        var samples = new List<short>();
        foreach ((byte[] packet, _) in packets.Skip(2))
        {
            samples.AddRange(frame.Take(decoder.Decode(packet, frame, 5760, false)));
        }

        return [.. samples];
    }

    /// <summary>Goertzel power at <paramref name="hz"/> over [from, to) seconds of 48 kHz mono.</summary>
    private static double TonePower(short[] mono, double hz, double from, double to)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * hz / 48000);
        double s1 = 0, s2 = 0;
        for (int i = (int)(from * 48000); i < (int)(to * 48000); i++)
        {
            double s0 = mono[i] + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        return (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
    }

    private async Task<byte[]> DecryptAsync(string path)
    {
        using RecordingVault vault = RecordingVault.OpenExisting(Data, Path.Combine(Folder, "spool"), Serilog.Core.Logger.None);
        await using var reader = vault.OpenRecording(path);
        using var plain = new MemoryStream();
        await reader.CopyToAsync(plain);
        return plain.ToArray();
    }

    private SqliteMetadataStore Open() => SqliteMetadataStore.Open(new SqliteMetadataStoreOptions { DataDirectory = Data });

    private async Task AddUserAsync(string name, RoleGrant grant)
    {
        await using SqliteMetadataStore store = Open();
        Assert.True(await store.AddUserAsync(new NewUser(name, PasswordHasher.Hash(Password), null, [grant]), "test"));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(RecordingArguments arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await RecordingCommands.RunAsync("extract", arguments with { Config = _config, ReadPassword = () => Password }, CommandLine.Load, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
