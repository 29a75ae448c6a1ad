namespace CallSwitch.Sip.Transport;

/// <summary>Settings of a <see cref="UdpChannel"/>.</summary>
public sealed record UdpChannelOptions
{
    /// <summary>
    /// Kernel receive buffer in bytes. Large, so that a burst of requests (a registration storm
    /// after a restart) waits in the kernel rather than being dropped while the loop is busy.
    /// The kernel may cap it (net.core.rmem_max on Linux).
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Kernel send buffer in bytes.</summary>
    public int SendBufferBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Largest datagram read; longer ones are truncated by the kernel and dropped. 65,535 is the
    /// UDP maximum, so nothing legal is lost.
    /// </summary>
    public int MaxDatagramBytes { get; init; } = 65_535;

    /// <summary>
    /// Threads reading the socket, taking turns, each handing its datagrams to the receiver on
    /// itself. More than one lets the signalling keep up when a thread is preempted or busy with
    /// a request's work (call set-up); the datagrams of one call still reach the receiver one at
    /// a time and in order (<see cref="UdpChannel"/>).
    /// </summary>
    public int ReceiveThreads { get; init; } = 2;

    /// <summary>The defaults.</summary>
    public static UdpChannelOptions Default { get; } = new();
}
