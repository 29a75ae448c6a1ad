using BenchmarkDotNet.Attributes;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Parsing;

namespace CallSwitch.Benchmarks.Sip;

/// <summary>
/// Parse and write of typical messages. "Parse" is what the transport does for every message:
/// frame it and index its headers (values become strings only when read). "ParseAndRead"
/// also reads what a proxy or registrar reads of every request (top Via, Call-ID, CSeq, From
/// tag, Max-Forwards).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SipParserBenchmarks
{
    private readonly SipMessageParser _parser = new();
    private readonly byte[] _output = new byte[4096];
    private SipMessage _invite = null!;

    [GlobalSetup]
    public void Setup() => _invite = _parser.Parse(SipMessages.Invite);

    [Benchmark(Baseline = true)]
    public SipMessage? ParseInvite()
    {
        _parser.TryParse(SipMessages.Invite, out var message, out _);
        return message;
    }

    [Benchmark]
    public object? ParseInviteAndReadRoutingHeaders()
    {
        _parser.TryParse(SipMessages.Invite, out var message, out _);
        return (message!.TopVia, message.CallId, message.CSeq, message.From?.Tag, message.MaxForwards);
    }

    [Benchmark]
    public SipMessage? Parse200Ok()
    {
        _parser.TryParse(SipMessages.Ok, out var message, out _);
        return message;
    }

    [Benchmark]
    public int WriteInvite() => SipMessageWriter.Write(_invite, _output);
}
