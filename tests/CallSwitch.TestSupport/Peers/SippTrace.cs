using System.Text.RegularExpressions;

namespace CallSwitch.TestSupport.Peers;

/// <summary>One message of a SIPp message trace (<c>-trace_msg</c>): sent or received, its text with LF line ends.</summary>
public sealed record SippTraceMessage(bool Sent, string Text);

/// <summary>Reads SIPp's message trace: blocks that start with a dashed line and a timestamp, then "UDP message sent (N bytes):" or "… received [N] bytes :", then the message.</summary>
public static partial class SippTrace
{
    public static IReadOnlyList<SippTraceMessage> Parse(string trace)
    {
        var messages = new List<SippTraceMessage>();
        string text = trace.Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (string block in Separator().Split(text))
        {
            Match head = Head().Match(block);
            if (head.Success)
            {
                messages.Add(new SippTraceMessage(head.Groups[1].Value == "sent", block[(head.Index + head.Length)..].Trim('\n', ' ')));
            }
        }

        return messages;
    }

    [GeneratedRegex(@"^-{10,} [^\n]*$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\s*\w+ message (sent|received) [^\n]*bytes[^\n]*:\n", RegexOptions.Multiline)]
    private static partial Regex Head();
}
