using CallSwitch.Recording.Vault;
using CallSwitch.Recording.Encryption;
using Serilog.Core;

namespace CallSwitch.Recording.Tests.Vault;

public sealed class MasterKeySourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-mk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AMissingKeyFileIsCreatedOwnerOnlyAndReadBackAsTheSameKey()
    {
        string file = Path.Combine(_directory, "data", "master.key");

        using MasterKey created = MasterKeySource.Load(null, file, Logger.None);
        using MasterKey loaded = MasterKeySource.Load(null, file, Logger.None);

        Assert.Equal(created.Id, loaded.Id);
        Assert.Equal(64, File.ReadAllText(file).Trim().Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void TheEnvironmentVariableWinsOverTheKeyFile()
    {
        string file = Path.Combine(_directory, "master.key");
        using MasterKey fromFile = MasterKeySource.Load(null, file, Logger.None);
        string hex = new string('a', 64);

        using MasterKey fromEnvironment = MasterKeySource.Load(hex, file, Logger.None);

        Assert.Equal(MasterKey.Parse(hex).Id, fromEnvironment.Id);
        Assert.NotEqual(fromFile.Id, fromEnvironment.Id);
    }

    [Fact]
    public void AMalformedKeyIsRefused() =>
        Assert.Throws<FormatException>(() => MasterKeySource.Load("not a key", Path.Combine(_directory, "master.key"), Logger.None));
}
