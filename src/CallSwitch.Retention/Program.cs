using System.Diagnostics;
using CallSwitch.Retention;

// The sidecar is background work beside a live switch on the same cores: it yields the CPU to the
// switch (nice 10 on Linux) so that a purge never delays the relay or the switch's archive writer.
using (Process self = Process.GetCurrentProcess())
{
    self.PriorityClass = ProcessPriorityClass.BelowNormal;
}

return await RetentionCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
