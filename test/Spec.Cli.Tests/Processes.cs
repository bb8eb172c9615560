using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;

namespace Spec.Cli.Tests;

/// <summary>How a command run as its own process ended: its status, its output (kept in a file) and its peak memory.</summary>
internal sealed record Ran(int Status, int Signal, string StdoutPath, string Stderr, long PeakRssBytes) : IDisposable
{
    /// <summary>The process died of a signal (a .NET crash aborts) instead of exiting.</summary>
    public bool Crashed => Signal != 0;

    public long StdoutLength => new FileInfo(StdoutPath).Length;

    public string Stdout => File.ReadAllText(StdoutPath);

    public void Dispose() => File.Delete(StdoutPath);

    public override string ToString() => $"status {Status}, signal {Signal}, peak {PeakRssBytes >> 20} MB, stderr: {(Stderr.Length > 2000 ? Stderr[..2000] : Stderr)}";
}

/// <summary>
/// The commands as a user runs them, each in a process of its own, reaped with wait4 for its peak resident memory.
/// posix_spawn starts a child inside the spawner's memory (vfork), and Linux counts that memory into the child's peak:
/// so a shell starts the command in the background and exits, the command is handed to this process as its
/// subreaper, and its own peak is what wait4 reports.
/// </summary>
internal static unsafe partial class Processes
{
    static readonly string Configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
    static readonly string Bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));

    /// <summary>The wasmspec command built beside these tests.</summary>
    public static Ran Wasmspec(params string[] args) => Dotnet(Path.Combine(Bin, "Spec.Cli", Configuration, "wasmspec.dll"), null, args);

    /// <summary>wasmspec with at most <paramref name="descriptors"/> open files (ulimit -n).</summary>
    public static Ran WasmspecWithFileLimit(int descriptors, params string[] args) =>
        Dotnet(Path.Combine(Bin, "Spec.Cli", Configuration, "wasmspec.dll"), descriptors, args);

    /// <summary>The wast-run command built beside these tests.</summary>
    public static Ran WastRun(params string[] args) => Dotnet(Path.Combine(Bin, "Spec.Wast", Configuration, "wast-run.dll"), null, args);

    const int PrSetChildSubreaper = 36, ORdOnly = 0, OWrOnly = 1, OCreat = 0x40, OTrunc = 0x200, EIntr = 4, SigKill = 9;

    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnp(out int pid, byte* file, byte* fileActions, byte* attributes, byte** argv, byte** envp);
    [LibraryImport("libc")] private static partial int posix_spawn_file_actions_init(byte* actions);
    [LibraryImport("libc")] private static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, byte* path, int flags, int mode);
    [LibraryImport("libc")] private static partial int posix_spawn_file_actions_destroy(byte* actions);
    [LibraryImport("libc", SetLastError = true)] private static partial int wait4(int pid, out int status, int options, byte* rusage);
    [LibraryImport("libc")] private static partial int kill(int pid, int signal);
    [LibraryImport("libc")] private static partial int prctl(int option, nuint a2, nuint a3, nuint a4, nuint a5);

    static Processes() => prctl(PrSetChildSubreaper, 1, 0, 0, 0);

    static Ran Dotnet(string dll, int? fileLimit, string[] args)
    {
        Assert.That(File.Exists(dll), $"{dll} is built with the tests");
        var stdout = Path.GetTempFileName();
        var stderr = Path.GetTempFileName();
        var pidFile = Path.GetTempFileName();
        try
        {
            var limit = fileLimit is { } n ? $"ulimit -n {n} || exit 99; " : "";
            var script = $"{limit}\"$0\" \"$@\" </dev/null >'{stdout}' 2>'{stderr}' & echo $!";
            var (shellStatus, _) = Spawn(["sh", "-c", script, "dotnet", dll, .. args], pidFile, null);
            Assert.That(shellStatus, Is.Zero, "the shell started the command");
            var (status, peak) = Wait(int.Parse(File.ReadAllText(pidFile).Trim()));
            int signal = status & 0x7f;
            return new Ran(signal == 0 ? (status >> 8) & 0xff : 128 + signal, signal, stdout, File.ReadAllText(stderr, Encoding.UTF8), peak);
        }
        finally
        {
            File.Delete(stderr);
            File.Delete(pidFile);
        }
    }

    /// <summary>Starts <paramref name="argv"/> (found on the PATH), its output into <paramref name="stdout"/>, and waits for it.</summary>
    static (int Status, long PeakRssBytes) Spawn(string[] argv, string stdout, string? stderr)
    {
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray();
        var allocated = new List<nint>();
        byte* Utf8(string s) { var p = Marshal.StringToCoTaskMemUTF8(s); allocated.Add(p); return (byte*)p; }
        byte** Vector(string[] items)
        {
            var v = (byte**)Marshal.AllocCoTaskMem((items.Length + 1) * sizeof(byte*));
            allocated.Add((nint)v);
            for (int i = 0; i < items.Length; i++) v[i] = Utf8(items[i]);
            v[items.Length] = null;
            return v;
        }
        byte* actions = (byte*)NativeMemory.AllocZeroed(1024); // larger than any libc's posix_spawn_file_actions_t
        try
        {
            posix_spawn_file_actions_init(actions);
            posix_spawn_file_actions_addopen(actions, 0, Utf8("/dev/null"), ORdOnly, 0);
            posix_spawn_file_actions_addopen(actions, 1, Utf8(stdout), OWrOnly | OCreat | OTrunc, 0x1a4);
            if (stderr is not null) posix_spawn_file_actions_addopen(actions, 2, Utf8(stderr), OWrOnly | OCreat | OTrunc, 0x1a4);
            int e = posix_spawnp(out int pid, Utf8(argv[0]), actions, null, Vector(argv), Vector(env));
            Assert.That(e, Is.Zero, $"posix_spawnp {argv[0]}");
            return Wait(pid);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            NativeMemory.Free(actions);
            foreach (var p in allocated) Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>Waits for child <paramref name="pid"/>: its wait status and peak resident memory.</summary>
    static (int Status, long PeakRssBytes) Wait(int pid)
    {
        // A safety net, not a measurement: a command that never ends is stopped, so the test fails instead of hanging.
        using var watchdog = new Timer(_ => kill(pid, SigKill), null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        byte* usage = stackalloc byte[1024]; // larger than struct rusage
        int status, r;
        while ((r = wait4(pid, out status, 0, usage)) < 0 && Marshal.GetLastPInvokeError() == EIntr) { }
        Assert.That(r, Is.EqualTo(pid), $"wait4 {pid}: errno {Marshal.GetLastPInvokeError()}");
        // struct rusage: two struct timevals (16 bytes each on 64-bit Linux), then ru_maxrss in kilobytes.
        return (status, *(long*)(usage + 32) * 1024);
    }
}
