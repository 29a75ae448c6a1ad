using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace CallSwitch.LoadHarness.Rtp;

/// <summary>struct sockaddr_in (16 bytes): family in host order, port and address in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrIn
{
    public ushort Family;
    public ushort PortNetworkOrder;
    public uint AddressNetworkOrder;
    public ulong Zero;

    public const ushort AfInet = 2;

    public static SockAddrIn From(IPEndPoint endPoint)
    {
        Span<byte> address = stackalloc byte[4];
        endPoint.Address.MapToIPv4().TryWriteBytes(address, out _);
        return new SockAddrIn
        {
            Family = AfInet,
            PortNetworkOrder = BinaryPrimitives.ReverseEndianness((ushort)endPoint.Port),
            AddressNetworkOrder = MemoryMarshal.Read<uint>(address),
        };
    }

    public readonly int Port => BinaryPrimitives.ReverseEndianness(PortNetworkOrder);

    public readonly IPEndPoint ToEndPoint() => new(new IPAddress(AddressNetworkOrder), Port);
}
