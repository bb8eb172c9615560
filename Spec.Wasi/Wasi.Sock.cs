using System.Net.Sockets;

namespace Spec.Wasi;

// sock_accept, sock_recv, sock_send, sock_shutdown, on the sockets the embedder preopened (WasiOptions.Sockets)
// and the connections accepted from them. Any other descriptor is EBADF (closed) or ENOTSOCK.

public sealed partial class WasiHost
{
    SocketDescriptor Socket(uint fd) => fds.Get(fd) as SocketDescriptor ?? throw new WasiError(Errno.NotSock);

    /// <summary>A host socket failure as the errno the guest sees.</summary>
    static WasiError SocketFailure(SocketException e) => new(e.SocketErrorCode switch
    {
        System.Net.Sockets.SocketError.WouldBlock => Errno.Again,
        System.Net.Sockets.SocketError.ConnectionReset => Errno.ConnReset,
        System.Net.Sockets.SocketError.ConnectionAborted => Errno.ConnAborted,
        System.Net.Sockets.SocketError.NotConnected => Errno.NotConn,
        System.Net.Sockets.SocketError.Shutdown => Errno.Pipe,
        System.Net.Sockets.SocketError.InvalidArgument => Errno.Inval,
        System.Net.Sockets.SocketError.OperationNotSupported => Errno.NotSup,
        System.Net.Sockets.SocketError.TimedOut => Errno.TimedOut,
        _ => Errno.Io,
    });

    Errno SockAccept(uint fd, uint flags, uint fdPtr)
    {
        var s = Socket(fd);
        if ((flags & ~(uint)FdFlags.NonBlock) != 0) return Errno.Inval;
        Mem.Slice(fdPtr, 4);
        s.Require(Rights.SockAccept);
        if ((s.Flags & FdFlags.NonBlock) != 0 && !s.Socket.Poll(0, SelectMode.SelectRead)) return Errno.Again;
        fds.EnsureRoom();
        System.Net.Sockets.Socket conn;
        try { conn = s.Socket.Accept(); }
        catch (SocketException e) { throw SocketFailure(e); }
        catch (InvalidOperationException) { return Errno.Inval; } // not listening
        var d = new SocketDescriptor(conn) { Base = SocketDescriptor.ConnectionRights, Inheriting = 0, Flags = (ushort)flags };
        conn.Blocking = (flags & FdFlags.NonBlock) == 0;
        Mem.U32(fdPtr, fds.Add(d));
        return Errno.Success;
    }

    // riflags: RECV_PEEK 1, RECV_WAITALL 2; roflags: RECV_DATA_TRUNCATED 1
    Errno SockRecv(uint fd, uint iovs, uint iovsLen, uint riFlags, uint datalenPtr, uint roFlagsPtr)
    {
        var s = Socket(fd);
        var vecs = Mem.Iovecs(iovs, iovsLen);
        Mem.Slice(datalenPtr, 4);
        Mem.Slice(roFlagsPtr, 2);
        if (riFlags > 3) return Errno.Inval;
        s.Require(Rights.FdRead);
        var flags = ((riFlags & 1) != 0 ? SocketFlags.Peek : SocketFlags.None);
        uint total = 0;
        try
        {
            foreach (var (buf, len) in vecs)
            {
                if (len == 0) continue;
                WaitReadable(s.Socket);
                int n = s.Socket.Receive(Mem.Slice(buf, len), flags);
                total += (uint)n;
                if (n < len && (riFlags & 2) == 0) break;
                if (n == 0) break;
            }
        }
        catch (SocketException e) { throw SocketFailure(e); }
        Mem.U32(datalenPtr, total);
        Mem.U16(roFlagsPtr, 0);
        return Errno.Success;
    }

    Errno SockSend(uint fd, uint iovs, uint iovsLen, uint siFlags, uint datalenPtr)
    {
        var s = Socket(fd);
        var vecs = Mem.Iovecs(iovs, iovsLen);
        Mem.Slice(datalenPtr, 4);
        if (siFlags != 0) return Errno.Inval;
        s.Require(Rights.FdWrite);
        uint total = 0;
        try
        {
            foreach (var (buf, len) in vecs)
            {
                int n = s.Socket.Send(Mem.Slice(buf, len));
                total += (uint)n;
                if (n < len) break;
            }
        }
        catch (SocketException e) { throw SocketFailure(e); }
        Mem.U32(datalenPtr, total);
        return Errno.Success;
    }

    // sdflags: RD 1, WR 2
    Errno SockShutdown(uint fd, uint how)
    {
        var s = Socket(fd);
        if (how is 0 or > 3) return Errno.Inval;
        s.Require(Rights.SockShutdown);
        try { s.Socket.Shutdown(how switch { 1 => SocketShutdown.Receive, 2 => SocketShutdown.Send, _ => SocketShutdown.Both }); }
        catch (SocketException e) { throw SocketFailure(e); }
        return Errno.Success;
    }
}
