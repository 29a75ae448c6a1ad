using CallSwitch.Media.Dtmf;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Media.Tests.Dtmf;

public sealed class DtmfSequenceMatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KeyGap = TimeSpan.FromMilliseconds(300);
    private readonly FakeTimeProvider _time = new();
    private readonly DtmfSequenceMatcher<string> _matcher;

    public DtmfSequenceMatcherTests()
    {
        _matcher = new DtmfSequenceMatcher<string>(
            [new("*1", "pause"), new("*2", "resume"), new("9", "oppose"), new("#a", "admin")],
            Timeout,
            _time);
    }

    [Theory]
    [InlineData("*1", "pause")]
    [InlineData("*2", "resume")]
    [InlineData("9", "oppose")]
    [InlineData("#A", "admin")]
    [InlineData("#a", "admin")]
    [InlineData("5*1", "pause")]
    [InlineData("**2", "resume")]
    [InlineData("*9", "oppose")]
    public void MatchesASequenceAtTheEndOfWhatWasTyped(string typed, string expected)
    {
        Assert.Equal([expected], Type(typed));
    }

    [Fact]
    public void MatchesRepeatedlyAndConsumesTheKeys()
    {
        Assert.Equal(["pause", "resume", "oppose", "oppose"], Type("*1*299"));
        Assert.Equal(0, _matcher.PendingKeyCount);
    }

    [Fact]
    public void KeysFartherApartThanTheTimeoutDoNotCombine()
    {
        Assert.Empty(Type("*"));
        Assert.Equal(1, _matcher.PendingKeyCount);
        _time.Advance(Timeout - KeyGap + TimeSpan.FromMilliseconds(1));
        Assert.Empty(Type("1"));
        Assert.Equal(0, _matcher.PendingKeyCount);
    }

    [Fact]
    public void KeysWithinTheTimeoutCombine()
    {
        Assert.Empty(Type("*"));
        _time.Advance(Timeout - KeyGap); // the next key comes exactly at the timeout
        Assert.Equal(["pause"], Type("1"));
    }

    [Fact]
    public void RefusesAmbiguousOrInvalidConfigurations()
    {
        Assert.Throws<ArgumentException>(() => Create(("*1", 1), ("*12", 2)));
        Assert.Throws<ArgumentException>(() => Create(("*1", 1), ("*1", 2)));
        Assert.Throws<ArgumentException>(() => Create(("*a", 1), ("*A", 2)));
        Assert.Throws<ArgumentException>(() => Create(("*x", 1)));
        Assert.Throws<ArgumentException>(() => Create(("", 1)));
        Assert.Throws<ArgumentException>(() => Create());
        Assert.Throws<ArgumentException>(() => _matcher.TryMatch('x', out _));
    }

    [Fact]
    public void MatchingAllocatesNothing()
    {
        Type("*1");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _matcher.TryMatch('5', out _);
            _matcher.TryMatch('*', out _);
            _matcher.TryMatch('2', out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private DtmfSequenceMatcher<int> Create(params (string Keys, int Action)[] sequences) =>
        new(sequences.Select(s => new KeyValuePair<string, int>(s.Keys, s.Action)), Timeout, _time);

    private List<string> Type(string keys)
    {
        var actions = new List<string>();
        foreach (var key in keys)
        {
            _time.Advance(KeyGap);
            if (_matcher.TryMatch(key, out var action))
            {
                actions.Add(action);
            }
        }

        return actions;
    }
}
