namespace CallSwitch.Media.Relay;

/// <summary>
/// A socket model: receives datagrams on registered sockets and hands them to their handler.
/// <see cref="Add"/> and <see cref="Remove"/> are called by signalling; after
/// <see cref="Remove"/> the caller closes the socket and the driver forgets it.
/// </summary>
internal interface IRelaySocketDriver : IDisposable
{
    void Add(RelaySocket socket);

    void Remove(RelaySocket socket);
}
