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

        var events = new List<(ulong User, Errno Error, byte Type, ulong NBytes)>();
        ulong? deadline = null;
        var clocks = new List<(ulong User, ulong At, uint Clock)>();
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
                    ulong at = wait > ulong.MaxValue - mono ? ulong.MaxValue : mono + wait;
                    clocks.Add((user, at, clock));
                    deadline = deadline is { } d ? Math.Min(d, at) : at;
                    break;
                }
                case 1 or 2: // fd_read, fd_write: files and streams are always ready
                {
                    uint fd = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
                    events.Add(FdEvent(user, tag, fd));
                    break;
                }
                default:
                    events.Add((user, Errno.Inval, tag, 0));
                    break;
            }
        }

        if (events.Count == 0 && deadline is { } until)
        {
            ulong now = Now(1);
            if (until > now) Thread.Sleep(TimeSpan.FromTicks((long)Math.Min((until - now) / 100, (ulong)TimeSpan.MaxValue.Ticks / 2)));
            now = Math.Max(Now(1), until);
            foreach (var c in clocks) if (c.At <= now) events.Add((c.User, Errno.Success, 0, 0));
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

    (ulong, Errno, byte, ulong) FdEvent(ulong user, byte type, uint fd)
    {
        try
        {
            var d = fds.Get(fd);
            if ((d.Base & Rights.PollFdReadwrite) == 0 && d is StreamDescriptor) return (user, Errno.NotCapable, type, 0);
            ulong nbytes = 0;
            if (type == 1 && d is HostDescriptor { Type: FileType.RegularFile } h)
            {
                var size = Posix.StatAt(h.Fd, null, false).Size;
                var pos = (ulong)Posix.Seek(h.Fd, 0, 1);
                nbytes = size > pos ? size - pos : 0;
            }
            return (user, Errno.Success, type, nbytes);
        }
        catch (WasiError e) { return (user, e.Errno, type, 0); }
    }
}
