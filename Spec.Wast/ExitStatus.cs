using Spec.Execution;
using Spec.Syntax;

namespace Spec.Wast;

/// <summary>
/// The exit statuses of every command, wast-run and each wasmspec subcommand alike (the table in the README).
/// `wasmspec run` passes a guest's proc_exit status 0–125 through, so the statuses a command chooses for itself
/// beyond 1 and 2 lie above that range, each distinct.
/// </summary>
public static class ExitStatus
{
    public const int Success = 0;

    /// <summary>A check failed or the input was rejected: a malformed, invalid or unlinkable module, a failed assertion.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, or a file named on the command line that cannot be read or written.</summary>
    public const int Usage = 2;

    /// <summary>The largest proc_exit status `wasmspec run` passes through; 126 and above belong to the runtime.</summary>
    public const int MaxGuestStatus = 125;

    /// <summary>`wasmspec run`: the guest exited with a status outside 0–125 (the status is said on stderr).</summary>
    public const int GuestStatusOutOfRange = 126;

    /// <summary>A trap, or an exception that no handler caught (134, as wasmtime exits on a trap).</summary>
    public const int Trap = 134;

    /// <summary>A resource ran out or a limit was reached: the call stack, fuel, a store limit, a step limit.</summary>
    public const int Exhausted = 135;

    /// <summary>A deadline passed ("deadline exceeded").</summary>
    public const int Timeout = 142;

    /// <summary>The status of a run that ended in <paramref name="e"/>: a trap, exhaustion, or a rejected module or link.</summary>
    public static int Of(WasmException e) => e switch
    {
        TrapException or UncaughtWasmException or HostException => Trap,
        ExhaustionException { Code: TrapCode.DeadlineExceeded } => Timeout,
        ExhaustionException => Exhausted,
        _ => Failed,
    };
}

/// <summary>Output files named on the command line, checked before any work begins so that no result is lost at the end.</summary>
public static class OutputFiles
{
    /// <summary>Why <paramref name="path"/> cannot be written, or null if it can; a file that did not exist is not left behind.</summary>
    public static string? Unwritable(string path)
    {
        try
        {
            bool existed = File.Exists(path);
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot write {path}: {e.Message}";
        }
    }
}
