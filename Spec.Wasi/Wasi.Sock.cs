namespace Spec.Wasi;

// sock_accept, sock_recv, sock_send, sock_shutdown. This host preopens no sockets, so every descriptor the guest
// can name is either closed (EBADF) or not a socket (ENOTSOCK); pointers are still checked first where given.

public sealed partial class WasiHost
{
    Errno NotSocket(uint fd)
    {
        var d = fds.Get(fd);
        return d.Type is FileType.SocketStream or FileType.SocketDgram ? Errno.NotSup : Errno.NotSock;
    }

    Errno SockAccept(uint fd, uint flags, uint fdPtr)
    {
        if ((flags & ~(uint)FdFlags.NonBlock) != 0) return Errno.Inval;
        return NotSocket(fd);
    }

    Errno SockRecv(uint fd, uint iovs, uint iovsLen, uint riFlags, uint datalenPtr, uint roFlagsPtr)
    {
        Mem.Iovecs(iovs, iovsLen);
        return NotSocket(fd);
    }

    Errno SockSend(uint fd, uint iovs, uint iovsLen, uint siFlags, uint datalenPtr)
    {
        Mem.Iovecs(iovs, iovsLen);
        return NotSocket(fd);
    }

    Errno SockShutdown(uint fd, uint how)
    {
        var e = NotSocket(fd);
        return e == Errno.NotSock ? e : how is 0 or > 3 ? Errno.Inval : e;
    }
}
