using CallSwitch.Compliance.Rules;
using CallSwitch.Configuration;
using CallSwitch.Calls.Media;
using CallSwitch.Calls.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Calls.Tests.Recording;

/// <summary>Which key presses the keypad withholds from the prospect and which commands it issues.</summary>
public class RecordingKeypadTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(RecordingCommand Command, ControlSource Via)> _commands = [];
    private bool _noticePlaying;

    [Theory]
    [InlineData("*1", RecordingCommand.Pause)]
    [InlineData("*2", RecordingCommand.Resume)]
    [InlineData("*3", RecordingCommand.Start)]
    [InlineData("*9", RecordingCommand.Oppose)]
    public void EachKeyOfTheAgentsSequenceIsWithheldAndTheSequenceIssuesItsCommand(string keys, RecordingCommand expected)
    {
        RecordingKeypad keypad = Keypad(Rule());

        bool[] withheld = Press(keypad, CallParty.Agent, keys);

        Assert.All(withheld, Assert.True);
        Assert.Equal([(expected, ControlSource.AgentKeys)], _commands);
    }

    [Fact]
    public void KeysThatStartNoSequencePassUntouched()
    {
        RecordingKeypad keypad = Keypad(Rule());

        Assert.Equal([false, false, false, false], Press(keypad, CallParty.Agent, "50#1"));
        Assert.Empty(_commands);
    }

    [Fact]
    public void AWithheldPrefixThatDivergesIsDroppedAndTheDivergingKeyIsJudgedOnItsOwn()
    {
        RecordingKeypad keypad = Keypad(Rule());

        // "*5": the star is withheld (it may begin *1) and lost; the 5 starts nothing and passes.
        Assert.Equal([true, false], Press(keypad, CallParty.Agent, "*5"));

        // "**1": the second star restarts the sequence, so all three are the agent's.
        Assert.Equal([true, true, true], Press(keypad, CallParty.Agent, "**1"));
        Assert.Equal([(RecordingCommand.Pause, ControlSource.AgentKeys)], _commands);
    }

    [Fact]
    public void KeysFartherApartThanTheTimeoutDoNotCombine()
    {
        RecordingKeypad keypad = Keypad(Rule());

        Assert.True(keypad.OnDigit(CallParty.Agent, '*'));
        _time.Advance(RecordingKeypad.InterDigitTimeout + TimeSpan.FromMilliseconds(1));
        Assert.False(keypad.OnDigit(CallParty.Agent, '1'));
        Assert.Empty(_commands);

        // Within the timeout they do.
        Assert.True(keypad.OnDigit(CallParty.Agent, '*'));
        _time.Advance(RecordingKeypad.InterDigitTimeout - TimeSpan.FromMilliseconds(1));
        Assert.True(keypad.OnDigit(CallParty.Agent, '1'));
        Assert.Equal([(RecordingCommand.Pause, ControlSource.AgentKeys)], _commands);
    }

    [Fact]
    public void TheCampaignsOwnSequencesAreUsed()
    {
        RecordingKeypad keypad = Keypad(Rule() with { Keys = new DtmfKeys { Pause = "#7", Resume = "#8", Start = "#4", Opposition = "##" } });

        Assert.Equal([false, false], Press(keypad, CallParty.Agent, "*1"));
        Assert.Equal([true, true], Press(keypad, CallParty.Agent, "##"));
        Assert.Equal([(RecordingCommand.Oppose, ControlSource.AgentKeys)], _commands);
    }

    [Fact]
    public void TheProspectsKeyRefusesOnlyDuringTheNoticeAndIsNeverWithheld()
    {
        RecordingKeypad keypad = Keypad(Rule() with { ProspectOppositionKey = '9' });

        Assert.False(keypad.OnDigit(CallParty.Prospect, '9'));
        Assert.Empty(_commands);

        _noticePlaying = true;
        Assert.False(keypad.OnDigit(CallParty.Prospect, '5'));
        Assert.Empty(_commands);
        Assert.False(keypad.OnDigit(CallParty.Prospect, '9'));
        Assert.Equal([(RecordingCommand.Oppose, ControlSource.ProspectKey)], _commands);

        // The prospect's keys never feed the agent's sequences, nor the agent's the prospect's key.
        _commands.Clear();
        Assert.Equal([false, false], Press(keypad, CallParty.Prospect, "*1"));
        Assert.False(keypad.OnDigit(CallParty.Agent, '9'));
        Assert.Empty(_commands);
    }

    [Fact]
    public void WithoutAProspectKeyTheProspectRefusesNothing()
    {
        RecordingKeypad keypad = Keypad(Rule());
        _noticePlaying = true;

        Assert.Equal([false, false, false], Press(keypad, CallParty.Prospect, "9*#"));
        Assert.Empty(_commands);
    }

    [Fact]
    public void SequencesThatBeginOneAnotherAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Keypad(Rule() with { Keys = new DtmfKeys { Pause = "*1", Resume = "*12" } }));
    }

    private static RecordingRule Rule() => new() { CampaignId = "spring", Mode = RecordingMode.Always };

    private RecordingKeypad Keypad(RecordingRule rule) => new(rule, _time, () => _noticePlaying, (command, via) => _commands.Add((command, via)));

    private bool[] Press(RecordingKeypad keypad, CallParty party, string keys)
    {
        var withheld = new bool[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(300));
            withheld[i] = keypad.OnDigit(party, keys[i]);
        }

        return withheld;
    }
}
