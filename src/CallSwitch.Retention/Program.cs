using CallSwitch.Retention;

return await RetentionCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
