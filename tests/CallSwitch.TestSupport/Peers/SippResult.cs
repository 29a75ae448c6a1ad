namespace CallSwitch.TestSupport.Peers;

/// <summary>What a SIPp run left: its exit code (0 = every call succeeded), output and error log.</summary>
public sealed record SippResult(int ExitCode, string Output, string Errors, string Messages)
{
    /// <summary>Everything, for an assertion message.</summary>
    public override string ToString() =>
        $"sipp exit code {ExitCode}\n--- stdout ---\n{Output}\n--- errors ---\n{Errors}\n--- messages ---\n{Messages}";
}
