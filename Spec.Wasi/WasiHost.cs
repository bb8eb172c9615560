using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Wasi;

/// <summary>A directory the guest may reach: <paramref name="HostPath"/> appears to it as <paramref name="GuestName"/>.</summary>
public sealed record WasiPreopen(string HostPath, string GuestName, bool ReadOnly = false);

/// <summary>Everything the guest is given; nothing else of the host (environment, arguments, files) reaches it.</summary>
public sealed record WasiOptions
{
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment entries as "KEY=VALUE".</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public IReadOnlyList<WasiPreopen> Preopens { get; init; } = [];

    /// <summary>Preopened sockets (listening or connected), numbered after the preopened directories.</summary>
    public IReadOnlyList<System.Net.Sockets.Socket> Sockets { get; init; } = [];
    public Stream? Stdin { get; init; }
    public Stream? Stdout { get; init; }
    public Stream? Stderr { get; init; }

    /// <summary>
    /// How many descriptors the guest may hold open at once, the standard streams and preopens included; opening more
    /// gives it EMFILE. The default, <see cref="DefaultMaxDescriptors"/>, leaves the process descriptors of its own.
    /// </summary>
    public int MaxDescriptors { get; init; } = DefaultMaxDescriptors;

    /// <summary>1024, or half the descriptors the process has left under its limit if that is fewer.</summary>
    public static int DefaultMaxDescriptors => (int)Math.Min(1024, HostFiles.Current.DescriptorsLeft() / 2);
}

/// <summary>proc_exit: the guest ended itself with <see cref="Code"/>.</summary>
public sealed class WasiExitException(int code) : WasmException(Phase.Execute, $"exit with code {code}", null)
{
    public int Code { get; } = code;
}

/// <summary>
/// The `wasi_snapshot_preview1` host: import resolution, the guest's memory, descriptors and arguments.
/// <code>
/// using var wasi = new WasiHost(options);
/// var inst = Instantiation.Instantiate(store, module, wasi.Resolver(store));
/// int code = wasi.RunCommand(store, inst);   // binds "memory", runs "_start", returns the exit code
/// </code>
/// </summary>
public sealed partial class WasiHost : IDisposable
{
    public const string ModuleName = "wasi_snapshot_preview1";

    readonly WasiOptions options;
    readonly FdTable fds;
    MemInst? memory;

    public WasiHost(WasiOptions options)
    {
        // The file system calls have only a Linux implementation: anywhere else this refuses here, not inside a call.
        _ = Files;
        this.options = options;
        fds = new(options.MaxDescriptors);
        fds.Set(0, new StreamDescriptor(options.Stdin, null) { Base = Rights.FdRead | Rights.PollFdReadwrite });
        fds.Set(1, new StreamDescriptor(null, options.Stdout) { Base = Rights.FdWrite | Rights.PollFdReadwrite });
        fds.Set(2, new StreamDescriptor(null, options.Stderr) { Base = Rights.FdWrite | Rights.PollFdReadwrite });
        foreach (var p in options.Preopens)
        {
            int fd;
            try { fd = Files.OpenDirectory(Path.GetFullPath(p.HostPath)); }
            catch (WasiError e)
            {
                throw new IOException($"cannot preopen {p.HostPath}: " + e.Errno switch
                {
                    Errno.NoEnt => "no such directory",
                    Errno.NotDir => "not a directory",
                    Errno.Acces or Errno.Perm => "permission denied",
                    var other => $"error {other}",
                });
            }
            ulong withheld = p.ReadOnly ? Rights.Mutating : 0;
            fds.Place(new HostDescriptor(fd, FileType.Directory, p.GuestName, p.ReadOnly)
            {
                Base = Rights.Directory & ~withheld,
                Inheriting = Rights.All & ~withheld,
            });
        }
        foreach (var socket in options.Sockets) fds.Place(SocketDescriptor.Preopened(socket));
    }

    GuestMemory Mem => new(memory);

    /// <summary>The host's file system.</summary>
    static IHostFiles Files => HostFiles.Current;

    /// <summary>The instance's exported "memory" becomes the memory every call reads and writes.</summary>
    public void Bind(ModuleInstance instance) =>
        memory = instance.Export("memory") is ExternVal.Mem m ? m.Inst : null;

    /// <summary>Binds a memory directly (embedders that build their own; the tests).</summary>
    internal void Bind(MemInst mem) => memory = mem;

    /// <summary>Binds <paramref name="instance"/>, runs its "_start" and returns the exit code (0 when it returns).</summary>
    public int RunCommand(Store store, ModuleInstance instance)
    {
        Bind(instance);
        if (instance.Export("_start") is not ExternVal.Func start) throw new LinkException("unknown export", "\"_start\"");
        try
        {
            Embedding.Invoke(store, start, []);
            return 0;
        }
        catch (WasiExitException e) { return e.Code; }
    }

    /// <summary>An import resolver: the `wasi_snapshot_preview1` functions, allocated in <paramref name="store"/>.</summary>
    public Func<string, string, ExternVal?> Resolver(Store store)
    {
        this.store ??= store;
        var made = new Dictionary<string, ExternVal>();
        return (module, name) =>
        {
            if (module != ModuleName || !Functions.TryGetValue(name, out var f)) return null;
            if (!made.TryGetValue(name, out var v))
                made[name] = v = new ExternVal.Func(Embedding.AllocFunc(store, f.Type, Host(f)));
            return v;
        };
    }

    /// <summary>The names of the functions this host provides.</summary>
    public static IEnumerable<string> FunctionNames => Signatures.Keys;

    public void Dispose() => fds.CloseAll();

    // ---- Function table ----

    /// <summary>A WASI function: its core type and its implementation over the raw arguments.</summary>
    internal sealed record Function(FuncType Type, Func<IReadOnlyList<Value>, Errno> Code, bool NoResult = false);

    Dictionary<string, Function>? functions;
    Dictionary<string, Function> Functions => functions ??= Table();

    HostFunc Host(Function f) => args =>
    {
        var e = Apply(f, args);
        return f.NoResult ? [] : [Value.I32((int)e)];
    };

    /// <summary>Runs a function: its failures, and those of the host streams it uses, become its errno.</summary>
    static Errno Apply(Function f, IReadOnlyList<Value> args)
    {
        try { return f.Code(args); }
        catch (WasiError w) { return w.Errno; }
        catch (IOException) { return Errno.Io; }              // a host stream failed (a closed pipe, a full disk)
        catch (ObjectDisposedException) { return Errno.Badf; } // a host stream or socket closed under us
        catch (NotSupportedException) { return Errno.Badf; }   // a host stream that cannot read or write
    }

    /// <summary>Calls a function by name directly (the robustness tests use this); null if no such function.</summary>
    internal Errno? Call(string name, IReadOnlyList<Value> args) =>
        Functions.TryGetValue(name, out var f) ? Apply(f, args) : null;

    /// <summary>The core type of the WASI function <paramref name="name"/>.</summary>
    public static FuncType TypeOf(string name) => Sig(Signatures[name].Params, Signatures[name].NoResult);

    static FuncType Sig(string ps, bool noResult) => new(
        [.. ps.Select(c => (ValType)(c == 'I' ? ValType.I64 : ValType.I32))],
        noResult ? [] : [ValType.I32]);

    // Parameter kinds per function (witx): 'i' an i32, 'I' an i64. Every function but proc_exit returns an errno.
    static readonly Dictionary<string, (string Params, bool NoResult)> Signatures = new()
    {
        ["args_get"] = ("ii", false), ["args_sizes_get"] = ("ii", false),
        ["environ_get"] = ("ii", false), ["environ_sizes_get"] = ("ii", false),
        ["clock_res_get"] = ("ii", false), ["clock_time_get"] = ("iIi", false),
        ["fd_advise"] = ("iIIi", false), ["fd_allocate"] = ("iII", false), ["fd_close"] = ("i", false),
        ["fd_datasync"] = ("i", false), ["fd_fdstat_get"] = ("ii", false), ["fd_fdstat_set_flags"] = ("ii", false),
        ["fd_fdstat_set_rights"] = ("iII", false), ["fd_filestat_get"] = ("ii", false),
        ["fd_filestat_set_size"] = ("iI", false), ["fd_filestat_set_times"] = ("iIIi", false),
        ["fd_pread"] = ("iiiIi", false), ["fd_prestat_get"] = ("ii", false), ["fd_prestat_dir_name"] = ("iii", false),
        ["fd_pwrite"] = ("iiiIi", false), ["fd_read"] = ("iiii", false), ["fd_readdir"] = ("iiiIi", false),
        ["fd_renumber"] = ("ii", false), ["fd_seek"] = ("iIii", false), ["fd_sync"] = ("i", false),
        ["fd_tell"] = ("ii", false), ["fd_write"] = ("iiii", false),
        ["path_create_directory"] = ("iii", false), ["path_filestat_get"] = ("iiiii", false),
        ["path_filestat_set_times"] = ("iiiiIIi", false), ["path_link"] = ("iiiiiii", false),
        ["path_open"] = ("iiiiiIIii", false), ["path_readlink"] = ("iiiiii", false),
        ["path_remove_directory"] = ("iii", false), ["path_rename"] = ("iiiiii", false),
        ["path_symlink"] = ("iiiii", false), ["path_unlink_file"] = ("iii", false),
        ["poll_oneoff"] = ("iiii", false), ["proc_exit"] = ("i", true), ["proc_raise"] = ("i", false),
        ["sched_yield"] = ("", false), ["random_get"] = ("ii", false),
        ["sock_accept"] = ("iii", false), ["sock_recv"] = ("iiiiii", false), ["sock_send"] = ("iiiii", false),
        ["sock_shutdown"] = ("ii", false),
    };

    static uint U(IReadOnlyList<Value> a, int k) => a[k].AsU32;
    static ulong L(IReadOnlyList<Value> a, int k) => a[k].Bits;

    Dictionary<string, Function> Table()
    {
        var impl = new Dictionary<string, Func<IReadOnlyList<Value>, Errno>>
        {
            ["args_get"] = a => ArgsGet(U(a, 0), U(a, 1)),
            ["args_sizes_get"] = a => ArgsSizesGet(U(a, 0), U(a, 1)),
            ["environ_get"] = a => EnvironGet(U(a, 0), U(a, 1)),
            ["environ_sizes_get"] = a => EnvironSizesGet(U(a, 0), U(a, 1)),
            ["clock_res_get"] = a => ClockResGet(U(a, 0), U(a, 1)),
            ["clock_time_get"] = a => ClockTimeGet(U(a, 0), L(a, 1), U(a, 2)),
            ["fd_advise"] = a => FdAdvise(U(a, 0), L(a, 1), L(a, 2), U(a, 3)),
            ["fd_allocate"] = a => FdAllocate(U(a, 0), L(a, 1), L(a, 2)),
            ["fd_close"] = a => FdClose(U(a, 0)),
            ["fd_datasync"] = a => FdDatasync(U(a, 0)),
            ["fd_fdstat_get"] = a => FdFdstatGet(U(a, 0), U(a, 1)),
            ["fd_fdstat_set_flags"] = a => FdFdstatSetFlags(U(a, 0), U(a, 1)),
            ["fd_fdstat_set_rights"] = a => FdFdstatSetRights(U(a, 0), L(a, 1), L(a, 2)),
            ["fd_filestat_get"] = a => FdFilestatGet(U(a, 0), U(a, 1)),
            ["fd_filestat_set_size"] = a => FdFilestatSetSize(U(a, 0), L(a, 1)),
            ["fd_filestat_set_times"] = a => FdFilestatSetTimes(U(a, 0), L(a, 1), L(a, 2), U(a, 3)),
            ["fd_pread"] = a => FdPread(U(a, 0), U(a, 1), U(a, 2), L(a, 3), U(a, 4)),
            ["fd_prestat_get"] = a => FdPrestatGet(U(a, 0), U(a, 1)),
            ["fd_prestat_dir_name"] = a => FdPrestatDirName(U(a, 0), U(a, 1), U(a, 2)),
            ["fd_pwrite"] = a => FdPwrite(U(a, 0), U(a, 1), U(a, 2), L(a, 3), U(a, 4)),
            ["fd_read"] = a => FdRead(U(a, 0), U(a, 1), U(a, 2), U(a, 3)),
            ["fd_readdir"] = a => FdReaddir(U(a, 0), U(a, 1), U(a, 2), L(a, 3), U(a, 4)),
            ["fd_renumber"] = a => FdRenumber(U(a, 0), U(a, 1)),
            ["fd_seek"] = a => FdSeek(U(a, 0), (long)L(a, 1), U(a, 2), U(a, 3)),
            ["fd_sync"] = a => FdSync(U(a, 0)),
            ["fd_tell"] = a => FdTell(U(a, 0), U(a, 1)),
            ["fd_write"] = a => FdWrite(U(a, 0), U(a, 1), U(a, 2), U(a, 3)),
            ["path_create_directory"] = a => PathCreateDirectory(U(a, 0), U(a, 1), U(a, 2)),
            ["path_filestat_get"] = a => PathFilestatGet(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4)),
            ["path_filestat_set_times"] = a => PathFilestatSetTimes(U(a, 0), U(a, 1), U(a, 2), U(a, 3), L(a, 4), L(a, 5), U(a, 6)),
            ["path_link"] = a => PathLink(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4), U(a, 5), U(a, 6)),
            ["path_open"] = a => PathOpen(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4), L(a, 5), L(a, 6), U(a, 7), U(a, 8)),
            ["path_readlink"] = a => PathReadlink(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4), U(a, 5)),
            ["path_remove_directory"] = a => PathRemoveDirectory(U(a, 0), U(a, 1), U(a, 2)),
            ["path_rename"] = a => PathRename(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4), U(a, 5)),
            ["path_symlink"] = a => PathSymlink(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4)),
            ["path_unlink_file"] = a => PathUnlinkFile(U(a, 0), U(a, 1), U(a, 2)),
            ["poll_oneoff"] = a => PollOneoff(U(a, 0), U(a, 1), U(a, 2), U(a, 3)),
            ["proc_exit"] = a => ProcExit(U(a, 0)),
            ["proc_raise"] = a => ProcRaise(U(a, 0)),
            ["sched_yield"] = _ => SchedYield(),
            ["random_get"] = a => RandomGet(U(a, 0), U(a, 1)),
            ["sock_accept"] = a => SockAccept(U(a, 0), U(a, 1), U(a, 2)),
            ["sock_recv"] = a => SockRecv(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4), U(a, 5)),
            ["sock_send"] = a => SockSend(U(a, 0), U(a, 1), U(a, 2), U(a, 3), U(a, 4)),
            ["sock_shutdown"] = a => SockShutdown(U(a, 0), U(a, 1)),
        };
        return impl.ToDictionary(kv => kv.Key, kv => new Function(TypeOf(kv.Key), kv.Value, Signatures[kv.Key].NoResult));
    }
}
