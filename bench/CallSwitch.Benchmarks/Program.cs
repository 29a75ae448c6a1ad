using BenchmarkDotNet.Running;
using CallSwitch.Benchmarks.Budget;
using CallSwitch.Benchmarks.Requests;

namespace CallSwitch.Benchmarks;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher (e.g. <c>--filter '*SipParser*'</c>), or, with
    /// <c>--allocation-budget FILE</c>, the allocation budget check that .ci/run runs, or, with
    /// <c>--request-store</c>, the generation of the request benchmarks' store, or, with
    /// <c>--relay-rig CALLS PORTS_FILE</c>, the relay under test of bench/relay-rig.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--allocation-budget", string file])
        {
            return AllocationBudgetCheck.Run(file, Console.Out);
        }

        if (args is ["--request-store"])
        {
            // The data-subject request benchmarks' store takes minutes to build: build it ahead.
            RequestStore.EnsureGenerated(Console.Out);
            return 0;
        }

        if (args is ["--relay-rig", .. string[] rig])
        {
            // The switch's relay as the relay under test of bench/relay-rig.
            return Media.RelayRigHost.Run(rig, Console.Out);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
