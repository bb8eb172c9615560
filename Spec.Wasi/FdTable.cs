namespace Spec.Wasi;

/// <summary>An open WASI descriptor: what it refers to, and the rights and flags the guest holds on it.</summary>
internal abstract class Descriptor
{
    public ulong Base;
    public ulong Inheriting;
    public ushort Flags;

    public abstract FileType Type { get; }

    /// <summary>The right a call needs, or ENOTCAPABLE.</summary>
    public void Require(ulong rights)
    {
        if ((Base & rights) != rights) throw new WasiError(Errno.NotCapable);
    }

    public virtual void Release() { }
}

/// <summary>stdin, stdout or stderr: a host stream.</summary>
internal sealed class StreamDescriptor(Stream? input, Stream? output) : Descriptor
{
    public Stream? Input { get; } = input;
    public Stream? Output { get; } = output;
    public override FileType Type => FileType.CharacterDevice;
}

/// <summary>A host file or directory, held open by its host descriptor.</summary>
internal sealed class HostDescriptor(int fd, FileType type, string? preopen, bool readOnly) : Descriptor
{
    public int Fd { get; private set; } = fd;
    public override FileType Type { get; } = type;

    /// <summary>The guest name of a preopened directory (fd_prestat_get), else null.</summary>
    public string? Preopen { get; } = preopen;

    /// <summary>Whether it lies in a read-only preopen: nothing reached through it may be changed.</summary>
    public bool ReadOnly { get; } = readOnly;

    /// <summary>fd_readdir's snapshot of the entries, taken when a listing starts at cookie 0.</summary>
    public List<HostDirEntry>? Entries;

    public override void Release()
    {
        if (Fd >= 0) HostFiles.Current.Close(Fd);
        Fd = -1;
    }
}

/// <summary>
/// The guest's descriptor numbers. New descriptors take the lowest free number, as POSIX does, and the table holds at
/// most <paramref name="limit"/> (the standard streams and preopened descriptors count): beyond it the guest gets EMFILE.
/// </summary>
internal sealed class FdTable(int limit)
{
    readonly SortedDictionary<uint, Descriptor> open = [];

    /// <summary>How many descriptors the guest may hold at once.</summary>
    public int Limit => limit;

    /// <summary>How many more descriptors the guest may open.</summary>
    public int Room => Math.Max(0, limit - open.Count);

    /// <summary>EMFILE unless another descriptor fits: asked before a host descriptor is opened for the guest.</summary>
    public void EnsureRoom()
    {
        if (Room == 0) throw new WasiError(Errno.Mfile);
    }

    /// <summary>The descriptor numbered <paramref name="fd"/>, or EBADF.</summary>
    public Descriptor Get(uint fd) => open.TryGetValue(fd, out var d) ? d : throw new WasiError(Errno.Badf);

    public Descriptor? TryGet(uint fd) => open.GetValueOrDefault(fd);

    /// <summary>A file or directory descriptor, or EBADF (a stream is not one).</summary>
    public HostDescriptor Host(uint fd) => Get(fd) as HostDescriptor ?? throw new WasiError(Errno.Badf);

    /// <summary>A directory descriptor: EBADF if closed, ENOTDIR if not a directory.</summary>
    public HostDescriptor Dir(uint fd)
    {
        var d = Get(fd);
        return d is HostDescriptor { Type: FileType.Directory } h ? h : throw new WasiError(Errno.NotDir);
    }

    /// <summary>A descriptor the guest opened, under the lowest free number; EMFILE (and the descriptor released) if none fits.</summary>
    public uint Add(Descriptor d)
    {
        if (Room == 0)
        {
            d.Release();
            throw new WasiError(Errno.Mfile);
        }
        return Place(d);
    }

    /// <summary>A descriptor the embedder gave (a preopen), whatever the limit.</summary>
    public uint Place(Descriptor d)
    {
        uint n = 0;
        while (open.ContainsKey(n)) n++;
        open[n] = d;
        return n;
    }

    public void Set(uint fd, Descriptor d) => open[fd] = d;

    public void Close(uint fd)
    {
        var d = Get(fd);
        open.Remove(fd);
        d.Release();
    }

    /// <summary>fd_renumber: <paramref name="to"/> must be open; it is closed and <paramref name="from"/> moves there.</summary>
    public void Renumber(uint from, uint to)
    {
        var d = Get(from);
        var old = Get(to);
        if (from == to) return;
        old.Release();
        open[to] = d;
        open.Remove(from);
    }

    public void CloseAll()
    {
        foreach (var d in open.Values) d.Release();
        open.Clear();
    }
}

/// <summary>A socket: a preopened listener or connection, or a connection a listener accepted.</summary>
internal sealed class SocketDescriptor(System.Net.Sockets.Socket socket) : Descriptor
{
    public System.Net.Sockets.Socket Socket { get; } = socket;

    public override FileType Type => Socket.SocketType == System.Net.Sockets.SocketType.Dgram ? FileType.SocketDgram : FileType.SocketStream;

    public const ulong ConnectionRights = Rights.FdRead | Rights.FdWrite | Rights.PollFdReadwrite | Rights.SockShutdown | Rights.FdFdstatSetFlags | Rights.FdFilestatGet;

    public static SocketDescriptor Preopened(System.Net.Sockets.Socket s) => new(s)
    {
        Base = ConnectionRights | Rights.SockAccept,
        Inheriting = ConnectionRights,
    };

    public override void Release() => Socket.Dispose();
}
