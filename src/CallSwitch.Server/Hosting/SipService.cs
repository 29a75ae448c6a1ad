using CallSwitch.Calls.Core;
using CallSwitch.Calls.Sessions;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>
/// The SIP side: opens the channels to the transaction layer and the switch core at start; at
/// stop ends every live call (5 s at most, the BYEs still go out) and then closes the channels.
/// </summary>
internal sealed class SipService : IHostedService
{
    private static readonly TimeSpan HangUpLimit = TimeSpan.FromSeconds(5);
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _transactions;
    private readonly CallRegistry _calls;
    private readonly ILogger _log;
    private int _stopped;

    // The core is taken so that it exists (and is the transaction layer's user) before the first message.
    public SipService(SipTransportLayer transport, SipTransactionLayer transactions, SwitchCore core, CallRegistry calls, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(core);
        _transport = transport;
        _transactions = transactions;
        _calls = calls;
        _log = log;
    }

    /// <summary>True once the channels deliver messages (a later start failure is the HTTP API's).</summary>
    public bool IsOpen { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _transport.Start(_transactions);
        IsOpen = true;
        foreach (ISipChannel channel in _transport.Channels)
        {
            _log.Information("Listening for SIP on {Protocol} {EndPoint}", channel.Protocol.ToString().ToUpperInvariant(), channel.LocalEndPoint);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        B2buaCall[] live = [.. _calls.Calls];
        try
        {
            await Task.WhenAll(live.Select(c => c.HangUpAsync(CallEnd.ShutDown))).WaitAsync(HangUpLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Go on stopping: the store must still be flushed and closed for the calls that did end.
            string[] left = [.. live.Where(c => !c.Completion.IsCompleted).Select(c => c.Id)];
            _log.Error("{Count} call(s) did not end within 5 s of the shutdown: {Calls}; stopping anyway", left.Length, string.Join(", ", left));
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
    }
}
