using System.Net;
using CallSwitch.Configuration;
using CallSwitch.Server.Configuration;
using CallSwitch.Sip.Transport;

namespace CallSwitch.Server.Hosting;

/// <summary>The production SIP channels: one socket per configured listener.</summary>
public static class SipChannels
{
    /// <summary>Binds a UDP or TCP channel for each listener of <paramref name="config"/>; on a failure the ones already bound are closed.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">An address cannot be bound.</exception>
    public static IReadOnlyList<ISipChannel> FromConfig(SwitchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var channels = new List<ISipChannel>();
        try
        {
            foreach (ListenConfig listen in config.Listen)
            {
                var endPoint = new IPEndPoint(listen.Address, listen.Port);
                channels.Add(SwitchConfigMapper.ToSipProtocol(listen.Protocol) switch
                {
                    SipProtocol.Udp => new UdpChannel(endPoint),
                    SipProtocol.Tcp => new TcpChannel(endPoint),
                    _ => throw new NotSupportedException($"{listen.Protocol} listeners are not available yet."),
                });
            }
        }
        catch
        {
            // The process goes on (exit code 1) or a test retries: free the ports taken so far.
            foreach (ISipChannel channel in channels)
            {
                channel.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        return channels;
    }
}
