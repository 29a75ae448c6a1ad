using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Transport;
using Serilog;

namespace CallSwitch.Server.Hosting;

/// <summary>Logs what the transport drops or fails to send; received and sent messages at verbose level only.</summary>
internal sealed class TransportLogObserver : ISipTransportObserver
{
    private readonly ILogger _log;

    public TransportLogObserver(ILogger log) => _log = log.ForContext<TransportLogObserver>();

    public void OnMessageReceived(SipMessage message, SipFlow flow) =>
        _log.ForContext("CallId", message.CallId).Verbose("Received from {Flow}: {FirstLine}", flow, FirstLine(message));

    public void OnMessageSent(SipMessage message, SipFlow flow) =>
        _log.ForContext("CallId", message.CallId).Verbose("Sent to {Flow}: {FirstLine}", flow, FirstLine(message));

    // Malformed input is an attacker's or a broken phone's doing: log it at debug to avoid a log storm.
    public void OnMessageDropped(SipFlow flow, string reason, ReadOnlyMemory<byte> data) =>
        _log.Debug("Dropped {Bytes} bytes from {Flow}: {Reason}", data.Length, flow, reason);

    public void OnSendFailed(SipMessage message, SipFlow flow, SipTransportException error) =>
        _log.ForContext("CallId", message.CallId).Warning("Send to {Flow} failed: {Error}", flow, error.Message);

    public void OnHandlerFailed(SipMessage message, SipFlow flow, Exception error) =>
        _log.ForContext("CallId", message.CallId).Error(error, "Handling a message from {Flow} failed", flow);

    private static string FirstLine(SipMessage message) => message switch
    {
        SipRequest r => r.Method + " " + r.RequestUri,
        SipResponse s => s.StatusCode + " " + s.ReasonPhrase,
        _ => string.Empty,
    };
}
