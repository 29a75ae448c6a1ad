namespace CallSwitch.Media.Relay;

/// <summary>
/// A socket model: receives datagrams on registered sockets and hands them to their handler.
/// <see cref="Add"/> and <see cref="Remove"/> are called by signalling; after
/// <see cref="Remove"/> the caller closes the socket and the driver forgets it. A driver may
/// hold a registered socket's handle open from <see cref="Add"/> to <see cref="Remove"/>
/// (the epoll model does): closing a socket that was not removed first waits for that.
/// </summary>
internal interface IRelaySocketDriver : IDisposable
{
    void Add(RelaySocket socket);

    void Remove(RelaySocket socket);
}

/// <summary>What the owners of several sockets (a session, an end point) do with a driver.</summary>
internal static class RelaySocketDriverExtensions
{
    /// <summary>Registers all of <paramref name="sockets"/>, or none: a driver holds what it registered until told to let go.</summary>
    public static void AddAll(this IRelaySocketDriver driver, RelaySocket[] sockets)
    {
        try
        {
            foreach (RelaySocket socket in sockets)
            {
                driver.Add(socket);
            }
        }
        catch
        {
            driver.RemoveAll(sockets);
            throw;
        }
    }

    /// <summary>Unregisters each of <paramref name="sockets"/> (those never registered are ignored); the caller closes them after.</summary>
    public static void RemoveAll(this IRelaySocketDriver driver, RelaySocket[] sockets)
    {
        foreach (RelaySocket socket in sockets)
        {
            driver.Remove(socket);
        }
    }
}
