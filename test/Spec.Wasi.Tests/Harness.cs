using System.Diagnostics;
using System.Text;
using Spec.BinaryFormat;
using Spec.Execution;
using Spec.Syntax;
using Spec.Validation;
using Store = Spec.Execution.Store;

namespace Spec.Wasi.Tests;

/// <summary>Runs a WASI command under this engine (in-process) or under node's node:wasi (a child process).</summary>
internal static class Harness
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds WasmSpec.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WasmSpec.sln"))) return d.FullName;
        throw new InvalidOperationException("WasmSpec.sln not found above the test binaries");
    }

    public static string Example(string name) => Path.Combine(RepoRoot, "examples", "wasi", name + ".wasm");

    internal sealed record Run(int Status, string Stdout, string Stderr);

    /// <summary>One preopen: a host directory and the name the guest sees.</summary>
    internal sealed record Dir(string Host, string Guest);

    public static Run Ours(string wasm, string[] args, string[] env, Dir[] dirs, string stdin = "")
    {
        var module = Binary.Decode(File.ReadAllBytes(wasm));
        Validator.Validate(module);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using var wasi = new WasiHost(new WasiOptions
        {
            Args = [wasm, .. args],
            Env = env,
            Preopens = [.. dirs.Select(d => new WasiPreopen(d.Host, d.Guest))],
            Stdin = new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            Stdout = stdout,
            Stderr = stderr,
        });
        var store = new Store();
        var inst = Instantiation.Instantiate(store, module, wasi.Resolver(store));
        int status = wasi.RunCommand(store, inst);
        return new(status, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Whether node is on the PATH (the differential tests need it; CI has it).</summary>
    public static bool HasNode { get; } = Probe();

    static bool Probe()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            p.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    public static Run Node(string wasm, string[] args, string[] env, Dir[] dirs, string stdin = "")
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--no-warnings");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "node-wasi.mjs"));
        foreach (var d in dirs) { psi.ArgumentList.Add("--dir"); psi.ArgumentList.Add($"{d.Host}::{d.Guest}"); }
        foreach (var e in env) { psi.ArgumentList.Add("--env"); psi.ArgumentList.Add(e); }
        psi.ArgumentList.Add(wasm);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000)) { p.Kill(); throw new TimeoutException("node did not finish"); }
        return new(p.ExitCode, stdout, err.Result);
    }
}

/// <summary>
/// A WASI host over a bare memory, for calling the functions directly: strings are placed in memory by a bump
/// allocator, and each call's arguments are given as numbers, typed by the function's signature.
/// </summary>
internal sealed class Guest : IDisposable
{
    public Store Store { get; } = new();
    public MemInst Memory { get; }
    public WasiHost Host { get; }
    public MemoryStream Stdout { get; } = new();
    uint next = 1024;

    public Guest(params WasiPreopen[] preopens) : this(preopens, []) { }

    public Guest(WasiPreopen[] preopens, System.Net.Sockets.Socket[] sockets, int? maxDescriptors = null)
    {
        Memory = Embedding.AllocMem(Store, new MemType(AddrType.I32, new Limits(1, 1)));
        var options = new WasiOptions { Preopens = preopens, Sockets = sockets, Stdout = Stdout, Stderr = Stream.Null, Stdin = new MemoryStream() };
        Host = new WasiHost(maxDescriptors is { } n ? options with { MaxDescriptors = n } : options);
        Host.Bind(Memory);
    }

    /// <summary>The first preopen's descriptor.</summary>
    public const uint Dir = 3;

    public (uint Ptr, uint Len) Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (next + bytes.Length + 8 > 60_000) next = 1024; // the scratch area is reused round-robin
        var at = next;
        bytes.CopyTo(Memory.Span(at, bytes.Length));
        next += (uint)bytes.Length + 8;
        return (at, (uint)bytes.Length);
    }

    /// <summary>A scratch area of <paramref name="n"/> bytes.</summary>
    public uint Alloc(uint n)
    {
        if (next + n + 8 > 60_000) next = 1024;
        var at = (next + 7) & ~7u;
        next = at + n;
        return at;
    }

    public uint U32(uint at) => BitConverter.ToUInt32(Memory.Span(at, 4));
    public ulong U64(uint at) => BitConverter.ToUInt64(Memory.Span(at, 8));
    public string Text(uint at, int len) => Encoding.UTF8.GetString(Memory.Span(at, len));

    public Errno Call(string name, params ulong[] args)
    {
        var ps = WasiHost.TypeOf(name).Params;
        var values = ps.Select((t, k) => t == ValType.I64 ? Value.I64(args[k]) : Value.I32((uint)args[k])).ToArray();
        return Host.Call(name, values) ?? throw new ArgumentException(name);
    }

    /// <summary>path_open relative to <paramref name="dir"/>; the new descriptor, or the errno.</summary>
    public (Errno Errno, uint Fd) Open(string path, uint oflags = 0, ulong rights = 0x1fffffff, uint lookup = 0, uint dir = Dir, uint fdflags = 0)
    {
        var (p, l) = Str(path);
        var fdp = Alloc(4);
        var e = Call("path_open", dir, lookup, p, l, oflags, rights, 0x1fffffff, fdflags, fdp);
        return (e, e == Errno.Success ? U32(fdp) : uint.MaxValue);
    }

    /// <summary>fd_read of up to <paramref name="max"/> bytes as text.</summary>
    public (Errno, string) Read(uint fd, uint max = 256)
    {
        var buf = Alloc(max);
        var iov = Alloc(8);
        BitConverter.TryWriteBytes(Memory.Span(iov, 4), buf);
        BitConverter.TryWriteBytes(Memory.Span(iov + 4, 4), max);
        var nread = Alloc(4);
        var e = Call("fd_read", fd, iov, 1, nread);
        return (e, e == Errno.Success ? Text(buf, (int)U32(nread)) : "");
    }

    public Errno Write(uint fd, string text)
    {
        var (p, l) = Str(text);
        var iov = Alloc(8);
        BitConverter.TryWriteBytes(Memory.Span(iov, 4), p);
        BitConverter.TryWriteBytes(Memory.Span(iov + 4, 4), l);
        return Call("fd_write", fd, iov, 1, Alloc(4));
    }

    public void Dispose() => Host.Dispose();
}
