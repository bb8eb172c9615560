using System.Text;

namespace Spec.Wasi;

// The path_* functions. Every path is resolved by the sandbox inside the directory descriptor it is given
// (see Sandbox.cs); the host call then acts on the last component relative to the directory that holds it.

public sealed partial class WasiHost
{
    /// <summary>A path argument resolved under directory <paramref name="fd"/>, which must hold <paramref name="rights"/>.</summary>
    Resolved Resolve(uint fd, uint ptr, uint len, ulong rights, bool follow)
    {
        var dir = fds.Dir(fd);
        var path = Mem.Utf8(ptr, len);
        dir.Require(rights);
        return Sandbox.Resolve(dir, path, follow, fds.Limit);
    }

    static bool Follow(uint lookupFlags) => (lookupFlags & LookupFlags.SymlinkFollow) != 0;

    Errno PathCreateDirectory(uint fd, uint path, uint len)
    {
        using var r = Resolve(fd, path, len, Rights.PathCreateDirectory, follow: false);
        Files.MakeDirectoryAt(r.Parent, r.Entry);
        return Errno.Success;
    }

    Errno PathFilestatGet(uint fd, uint flags, uint path, uint len, uint buf)
    {
        Mem.Slice(buf, FileStat.ByteLength);
        using var r = Resolve(fd, path, len, Rights.PathFilestatGet, Follow(flags));
        var st = Files.StatAt(r.Parent, r.Name, follow: false);
        if (r.TrailingSlash && !st.IsDir) return Errno.NotDir;
        st.ToWasi().WriteTo(Mem.Slice(buf, FileStat.ByteLength));
        return Errno.Success;
    }

    Errno PathFilestatSetTimes(uint fd, uint flags, uint path, uint len, ulong atim, ulong mtim, uint fstFlags)
    {
        var (a, m) = Times(atim, mtim, fstFlags);
        using var r = Resolve(fd, path, len, Rights.PathFilestatSetTimes, Follow(flags));
        if (r.TrailingSlash && !Files.StatAt(r.Parent, r.Name, follow: false).IsDir) return Errno.NotDir;
        Files.SetTimesAt(r.Parent, r.Name, a, m, follow: false);
        return Errno.Success;
    }

    Errno PathLink(uint oldFd, uint oldFlags, uint oldPath, uint oldLen, uint newFd, uint newPath, uint newLen)
    {
        using var from = Resolve(oldFd, oldPath, oldLen, Rights.PathLinkSource, Follow(oldFlags));
        using var to = Resolve(newFd, newPath, newLen, Rights.PathLinkTarget, follow: false);
        if (from.TrailingSlash && Files.StatAt(from.Parent, from.Name, false) is { IsDir: false }) return Errno.NotDir;
        Files.LinkAt(from.Parent, from.Entry, to.Parent, to.Entry);
        return Errno.Success;
    }

    Errno PathOpen(uint fd, uint dirFlags, uint path, uint len, uint oFlags, ulong rightsBase, ulong rightsInheriting, uint fdFlags, uint fdPtr)
    {
        Mem.Slice(fdPtr, 4);
        if (oFlags > 0xf || fdFlags > 0x1f) return Errno.Inval;
        var dir = fds.Dir(fd);
        ulong needed = Rights.PathOpen
            | ((oFlags & OFlags.Creat) != 0 ? Rights.PathCreateFile : 0)
            | ((oFlags & OFlags.Trunc) != 0 ? Rights.PathFilestatSetSize : 0);
        using var r = Resolve(fd, path, len, needed, Follow(dirFlags));

        // The new descriptor gets at most what the directory lets its children have.
        ulong granted = rightsBase & dir.Inheriting, inheriting = rightsInheriting & dir.Inheriting;
        bool write = (granted & (Rights.FdWrite | Rights.FdAllocate | Rights.FdFilestatSetSize)) != 0;
        bool read = (granted & (Rights.FdRead | Rights.FdReaddir)) != 0 || !write;
        if ((fdFlags & FdFlags.Append) != 0 && (dir.Inheriting & Rights.FdWrite) != 0) write = true;
        if (dir.ReadOnly && (write || (oFlags & (OFlags.Creat | OFlags.Trunc)) != 0)) return Errno.NotCapable;

        var flags = (read ? HostOpenFlags.Read : 0) | (write ? HostOpenFlags.Write : 0) | HostOpenFlags.NoFollow;
        if ((oFlags & OFlags.Creat) != 0) flags |= HostOpenFlags.Create;
        if ((oFlags & OFlags.Excl) != 0) flags |= HostOpenFlags.Exclusive;
        if ((oFlags & OFlags.Trunc) != 0) flags |= HostOpenFlags.Truncate;
        if ((oFlags & OFlags.Directory) != 0 || r.TrailingSlash) flags |= HostOpenFlags.Directory;
        if ((fdFlags & FdFlags.Append) != 0) flags |= HostOpenFlags.Append;
        if ((fdFlags & FdFlags.NonBlock) != 0) flags |= HostOpenFlags.NonBlock;
        if ((fdFlags & FdFlags.Dsync) != 0) flags |= HostOpenFlags.DataSync;
        if ((fdFlags & (FdFlags.Sync | FdFlags.Rsync)) != 0) flags |= HostOpenFlags.Sync;
        if (r.TrailingSlash && (oFlags & OFlags.Creat) != 0 && Files.TryStatAt(r.Parent, r.Name, false) is null) return Errno.IsDir;

        fds.EnsureRoom();
        int host = Files.OpenAt(r.Parent, r.Name, flags);
        var st = Files.StatAt(host, null, follow: false);
        var type = st.Type;
        var d = new HostDescriptor(host, type, null, dir.ReadOnly)
        {
            Base = granted & (type == FileType.Directory ? Rights.Directory : Rights.File),
            Inheriting = inheriting,
            Flags = (ushort)fdFlags,
        };
        Mem.U32(fdPtr, fds.Add(d));
        return Errno.Success;
    }

    Errno PathReadlink(uint fd, uint path, uint len, uint buf, uint bufLen, uint usedPtr)
    {
        var output = Mem.Slice(buf, bufLen);
        Mem.Slice(usedPtr, 4);
        using var r = Resolve(fd, path, len, Rights.PathReadlink, follow: false);
        var target = Files.ReadLinkAt(r.Parent, r.Name);
        int n = Math.Min(target.Length, output.Length);
        target.AsSpan(0, n).CopyTo(output);
        Mem.U32(usedPtr, (uint)n);
        return Errno.Success;
    }

    Errno PathRemoveDirectory(uint fd, uint path, uint len)
    {
        using var r = Resolve(fd, path, len, Rights.PathRemoveDirectory, follow: false);
        Files.RemoveDirectoryAt(r.Parent, r.Entry);
        return Errno.Success;
    }

    Errno PathRename(uint fd, uint oldPath, uint oldLen, uint newFd, uint newPath, uint newLen)
    {
        using var from = Resolve(fd, oldPath, oldLen, Rights.PathRenameSource, follow: false);
        using var to = Resolve(newFd, newPath, newLen, Rights.PathRenameTarget, follow: false);
        // A trailing slash on either side requires the source to be a directory.
        if ((from.TrailingSlash || to.TrailingSlash) && Files.StatAt(from.Parent, from.Name, false) is { IsDir: false })
            return Errno.NotDir;
        Files.RenameAt(from.Parent, from.Name, to.Parent, to.Name);
        return Errno.Success;
    }

    Errno PathSymlink(uint oldPath, uint oldLen, uint fd, uint newPath, uint newLen)
    {
        var target = Mem.Utf8(oldPath, oldLen);
        using var r = Resolve(fd, newPath, newLen, Rights.PathSymlink, follow: false);
        // An absolute target could only ever point outside the sandbox.
        if (target.StartsWith('/') || target.Contains('\0')) return Errno.NotCapable;
        if (target.Length == 0) return Errno.NoEnt;
        Files.SymlinkAt(target, r.Parent, r.Entry);
        return Errno.Success;
    }

    Errno PathUnlinkFile(uint fd, uint path, uint len)
    {
        using var r = Resolve(fd, path, len, Rights.PathUnlinkFile, follow: false);
        Files.UnlinkAt(r.Parent, r.Entry);
        return Errno.Success;
    }
}
