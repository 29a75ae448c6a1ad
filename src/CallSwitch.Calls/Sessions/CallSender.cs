using System.Text;
using CallSwitch.Sip.Dialogs;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;
using CallSwitch.Sip.Transactions;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Calls.Sessions;

/// <summary>
/// How a call sends: responses carry our Server header, and a send that fails (transport gone,
/// transaction already over) is logged and never ends the call by itself.
/// </summary>
internal sealed class CallSender
{
    private readonly CallContext _context;
    private readonly ILogger _log;

    public CallSender(CallContext context, ILogger log)
    {
        _context = context;
        _log = log;
    }

    public Task RespondAsync(ServerTransaction transaction, int status, string? reason = null) =>
        RespondAsync(transaction, transaction.CreateResponse(status, reason));

    public Task RespondAsync(ServerTransaction transaction, SipResponse response)
    {
        response.Headers.Add(HeaderId.Server, _context.ServerName);
        return QuietlyAsync(() => transaction.SendResponseAsync(response));
    }

    public async Task QuietlyAsync(Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipTransportException or InvalidOperationException)
        {
            _log.Information("Could not send: {Error}", e.Message);
        }
    }

    /// <summary>
    /// Checks a request for a dialog of ours (RFC 3261 §12.2.2): 481 when there is none, 500 when
    /// its CSeq is out of order; true when it is to be handled.
    /// </summary>
    public async Task<bool> AcceptInDialogAsync(ServerTransaction transaction, Dialog? dialog)
    {
        if (dialog is null)
        {
            await RespondAsync(transaction, 481).ConfigureAwait(false);
            return false;
        }

        if (!dialog.TryProcessRequest(transaction.Request))
        {
            await RespondAsync(transaction, 500, "CSeq Out Of Order").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    public static void AddSdp(SipMessage message, SessionDescription sdp) =>
        message.SetBody(Encoding.UTF8.GetBytes(sdp.ToString()), "application/sdp");
}
