using CallSwitch.Sip.Messages;

namespace CallSwitch.Calls.Sessions;

/// <summary>How the callee leg's INVITE ended: the request last sent, its final response, or the failure (timeout, transport) when none came.</summary>
internal sealed record CalleeAnswer(SipRequest Request, SipResponse? Final, Exception? Failure);
