namespace Spec.Wasi;

/// <summary>The preview1 errno values (witx `errno`, u16), in the witx order.</summary>
internal enum Errno : ushort
{
    Success, TooBig, Acces, AddrInUse, AddrNotAvail, AfNoSupport, Again, Already, Badf, BadMsg, Busy, Canceled,
    Child, ConnAborted, ConnRefused, ConnReset, Deadlk, DestAddrReq, Dom, Dquot, Exist, Fault, Fbig, HostUnreach,
    Idrm, Ilseq, InProgress, Intr, Inval, Io, IsConn, IsDir, Loop, Mfile, Mlink, MsgSize, Multihop, NameTooLong,
    NetDown, NetReset, NetUnreach, Nfile, NoBufs, NoDev, NoEnt, NoExec, NoLck, NoLink, NoMem, NoMsg, NoProtoOpt,
    NoSpc, NoSys, NotConn, NotDir, NotEmpty, NotRecoverable, NotSock, NotSup, NotTy, Nxio, Overflow, OwnerDead,
    Perm, Pipe, Proto, ProtoNoSupport, ProtoType, Range, Rofs, Spipe, Srch, Stale, TimedOut, TxtBsy, Xdev,
    NotCapable,
}

/// <summary>A WASI call's failure: unwinds the host function to its errno result.</summary>
internal sealed class WasiError(Errno errno) : Exception(errno.ToString())
{
    public Errno Errno { get; } = errno;
}
