namespace CallSwitch.Compliance.Tests.Erasure;

/// <summary>Thrown by a step hook: the process "dies" there.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }
}
