using System.Net.Sockets;

namespace CallSwitch.Media.Relay;

/// <summary>A socket registered with a driver, and who handles its datagrams.</summary>
internal sealed class RelaySocket(Socket socket, IDatagramHandler handler, string name)
{
    /// <summary>Largest datagram received; a longer one is truncated and dropped as malformed.</summary>
    public const int MaxDatagramLength = 2048;

    /// <summary>Size of the per-loop scratch buffer a transcoder writes into.</summary>
    public const int ScratchLength = 4096;

    public Socket Socket { get; } = socket;

    public IDatagramHandler Handler { get; } = handler;

    public string Name { get; } = name;

    /// <summary>Set by the owner before closing the socket so that the loop exits quietly.</summary>
    public volatile bool Stopped;
}
