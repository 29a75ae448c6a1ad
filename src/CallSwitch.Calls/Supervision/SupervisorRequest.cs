using CallSwitch.Media.Mixing;
using CallSwitch.Media.Relay;

namespace CallSwitch.Calls.Supervision;

/// <summary>A supervisor asking to join an agent's current call.</summary>
/// <param name="Supervisor">The authenticated extension asking.</param>
/// <param name="Agent">The agent's extension (what followed the feature code).</param>
/// <param name="Mode">The starting mode (from the code dialled).</param>
/// <param name="Format">The supervisor's negotiated audio format.</param>
/// <param name="Endpoint">The supervisor's RTP end point on the relay: their audio comes in there, their mix goes out.</param>
public sealed record SupervisorRequest(string Supervisor, string Agent, SupervisionMode Mode, MixFormat Format, RelayEndpoint Endpoint);
