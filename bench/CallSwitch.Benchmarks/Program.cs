using BenchmarkDotNet.Running;
using CallSwitch.Benchmarks.Budget;

namespace CallSwitch.Benchmarks;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher (e.g. <c>--filter '*SipParser*'</c>), or, with
    /// <c>--allocation-budget FILE</c>, the allocation budget check that .ci/run runs.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--allocation-budget", string file])
        {
            return AllocationBudgetCheck.Run(file, Console.Out);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
