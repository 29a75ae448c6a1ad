using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CallSwitch.Media.Relay.DatagramNative;

namespace CallSwitch.Media.Relay;

/// <summary>
/// A fixed set of datagram slots wired for recvmmsg/sendmmsg: for each, a data buffer, a socket
/// address buffer, its iovec and its mmsghdr, all in pinned arrays allocated once, so that a
/// batched call costs no allocation and no pinning. Used by one thread.
/// </summary>
internal sealed unsafe class DatagramSlots
{
    private readonly byte[] _data;
    private readonly byte[] _names;
    private readonly IoVector[] _vectors;
    private readonly MultiMessageHeader[] _messages;
    private readonly byte* _namesBase;

    public DatagramSlots(int capacity, int slotLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        SlotLength = slotLength;
        _data = GC.AllocateUninitializedArray<byte>(capacity * slotLength, pinned: true);
        _names = GC.AllocateArray<byte>(capacity * AddressCapacity, pinned: true);
        _vectors = GC.AllocateArray<IoVector>(capacity, pinned: true);
        _messages = GC.AllocateArray<MultiMessageHeader>(capacity, pinned: true);
        Messages = (MultiMessageHeader*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_messages));
        byte* data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));
        byte* names = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_names));
        _namesBase = names;
        IoVector* vectors = (IoVector*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_vectors));
        for (int i = 0; i < capacity; i++)
        {
            vectors[i].Base = data + (i * slotLength);
            vectors[i].Length = (nuint)slotLength;
            Messages[i].Header.Vector = vectors + i;
            Messages[i].Header.VectorLength = 1;
            Messages[i].Header.Name = names + (i * AddressCapacity);
            Messages[i].Header.NameLength = AddressCapacity;
        }
    }

    public int Capacity { get; }

    public int SlotLength { get; }

    /// <summary>The mmsghdr array (pinned for the object's life).</summary>
    public MultiMessageHeader* Messages { get; }

    /// <summary>The whole data buffer of slot <paramref name="index"/>.</summary>
    public Span<byte> Data(int index) => _data.AsSpan(index * SlotLength, SlotLength);

    /// <summary>The socket address buffer of slot <paramref name="index"/>.</summary>
    public Span<byte> Name(int index) => _names.AsSpan(index * AddressCapacity, AddressCapacity);

    /// <summary>
    /// Sets the length of slot <paramref name="index"/>'s address for a send: 0 sends without an
    /// address (a connected socket).
    /// </summary>
    public void SetName(int index, int length)
    {
        Messages[index].Header.Name = length == 0 ? null : _namesBase + (index * AddressCapacity);
        Messages[index].Header.NameLength = (uint)length;
    }

    /// <summary>Sets how many bytes of slot <paramref name="index"/> a send carries.</summary>
    public void SetLength(int index, int length) => _vectors[index].Length = (nuint)length;
}
