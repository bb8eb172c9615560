using System.Buffers.Binary;

namespace Spec.Wasi;

// poll_oneoff. subscription (48 bytes): userdata u64 @0, tag u8 @8, then clock {id u32 @16, timeout u64 @24,
// precision u64 @32, flags u16 @40} or fd_readwrite {fd u32 @16}. event (32 bytes): userdata u64 @0,
// error u16 @8, type u8 @10, fd_readwrite {nbytes u64 @16, flags u16 @24}.

public sealed partial class WasiHost
{
    const int SubscriptionSize = 48, EventSize = 32;

    Errno PollOneoff(uint input, uint output, uint count, uint neventsPtr)
    {
        if (count == 0) return Errno.Inval;
        if (count > 4096) return Errno.Inval; // never allocate what the guest merely claims
        var subs = Mem.Slice(input, count * SubscriptionSize).ToArray();
        Mem.Slice(output, count * EventSize);
        Mem.Slice(neventsPtr, 4);

        var clocks = new List<(ulong User, ulong At)>();
        var waits = new List<(ulong User, byte Type, uint Fd)>();
        var events = new List<(ulong User, Errno Error, byte Type, ulong NBytes)>();
        for (int k = 0; k < count; k++)
        {
            var s = subs.AsSpan(k * SubscriptionSize, SubscriptionSize);
            ulong user = BinaryPrimitives.ReadUInt64LittleEndian(s);
            byte tag = s[8];
            switch (tag)
            {
                case 0: // clock
                {
                    uint clock = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
                    ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                    bool absolute = (BinaryPrimitives.ReadUInt16LittleEndian(s[40..]) & 1) != 0;
                    ulong now;
                    try { now = Now(clock); }
                    catch (WasiError e) { events.Add((user, e.Errno, 0, 0)); break; }
                    // Deadlines are kept on the monotonic clock, the one that sleeping measures.
                    ulong wait = absolute ? (timeout > now ? timeout - now : 0) : timeout;
                    ulong mono = Now(1);
                    clocks.Add((user, wait > ulong.MaxValue - mono ? ulong.MaxValue : mono + wait));
                    break;
                }
                case 1 or 2: // fd_read, fd_write
                    waits.Add((user, tag, BinaryPrimitives.ReadUInt32LittleEndian(s[16..])));
                    break;
                default:
                    events.Add((user, Errno.Inval, tag, 0));
                    break;
            }
        }

        // Files and streams are always ready; sockets are asked. Until something is ready, wait for the
        // earliest clock, looking at the sockets every millisecond.
        ulong deadline = clocks.Count > 0 ? clocks.Min(c => c.At) : ulong.MaxValue;
        while (true)
        {
            foreach (var (user, type, fd) in waits)
                if (FdEvent(user, type, fd) is { } e) events.Add(e);
            ulong now = Now(1);
            if (events.Count > 0 || now >= deadline)
            {
                if (events.Count == 0) foreach (var c in clocks) if (c.At <= now) events.Add((c.User, Errno.Success, 0, 0));
                break;
            }
            bool sockets = waits.Any(w => fds.TryGet(w.Fd) is SocketDescriptor);
            ulong sleep = Math.Min(deadline - now, sockets ? 1_000_000UL : ulong.MaxValue);
            Sleep(TimeSpan.FromTicks((long)Math.Min(sleep / 100 + 1, TimeSpan.TicksPerHour)));
        }

        var o = Mem.Slice(output, (uint)events.Count * EventSize);
        o.Clear();
        for (int k = 0; k < events.Count; k++)
        {
            var e = o.Slice(k * EventSize, EventSize);
            BinaryPrimitives.WriteUInt64LittleEndian(e, events[k].User);
            BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)events[k].Error);
            e[10] = events[k].Type;
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], events[k].NBytes);
        }
        Mem.U32(neventsPtr, (uint)events.Count);
        return Errno.Success;
    }

    /// <summary>The event of an fd subscription, or null while a socket is not ready.</summary>
    (ulong, Errno, byte, ulong)? FdEvent(ulong user, byte type, uint fd)
    {
        try
        {
            var d = fds.Get(fd);
            d.Require(Rights.PollFdReadwrite);
            ulong nbytes = 0;
            switch (d)
            {
                case SocketDescriptor k:
                    if (!k.Socket.Poll(0, type == 1 ? System.Net.Sockets.SelectMode.SelectRead : System.Net.Sockets.SelectMode.SelectWrite)) return null;
                    nbytes = type == 1 ? (ulong)k.Socket.Available : 0;
                    break;
                case HostDescriptor { Type: FileType.RegularFile } h when type == 1:
                    var size = Files.StatAt(h.Fd, null, false).Size;
                    var pos = (ulong)Files.Seek(h.Fd, 0, SeekOrigin.Current);
                    nbytes = size > pos ? size - pos : 0;
                    break;
            }
            return (user, Errno.Success, type, nbytes);
        }
        catch (WasiError e) { return (user, e.Errno, type, 0); }
    }
}
