using System.Net;
using System.Net.Sockets;
using CallSwitch.Media.Rtp;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>A softphone or trunk stand-in: one UDP socket on loopback that sends and receives RTP.</summary>
internal sealed class UdpPeer : IDisposable
{
    private readonly Socket _socket;

    public UdpPeer(string address = "127.0.0.1", int port = 0)
    {
        IPAddress ip = IPAddress.Parse(address);
        _socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
        _socket.Bind(new IPEndPoint(ip, port));
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(byte[] datagram, IPEndPoint to) => _socket.SendTo(datagram, to);

    public void SendRtp(IPEndPoint to, int payloadType, ushort sequence, uint timestamp, uint ssrc, byte[] payload, bool marker = false) =>
        Send(Rtp(payloadType, sequence, timestamp, ssrc, payload, marker), to);

    public static byte[] Rtp(int payloadType, ushort sequence, uint timestamp, uint ssrc, byte[] payload, bool marker = false)
    {
        byte[] packet = new byte[RtpPacket.FixedHeaderLength + payload.Length];
        RtpPacket.WriteHeader(packet, payloadType, marker, sequence, timestamp, ssrc);
        payload.CopyTo(packet, RtpPacket.FixedHeaderLength);
        return packet;
    }

    /// <summary>The next datagram, or null after the timeout.</summary>
    public byte[]? Receive(int timeoutMs = 3000)
    {
        _socket.ReceiveTimeout = timeoutMs;
        byte[] buffer = new byte[2048];
        EndPoint from = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            int length = _socket.ReceiveFrom(buffer, ref from);
            return buffer[..length];
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    public List<byte[]> ReceiveMany(int count, int timeoutMs = 3000)
    {
        var packets = new List<byte[]>();
        while (packets.Count < count && Receive(timeoutMs) is byte[] packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    public void Dispose() => _socket.Dispose();
}
