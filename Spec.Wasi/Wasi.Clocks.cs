using System.Runtime.InteropServices;

namespace Spec.Wasi;

// clock_res_get, clock_time_get, random_get. The preview1 clock ids (realtime, monotonic, process and thread
// CPU time) are the host's CLOCK_* ids 0-3, so the host's clock_gettime answers them directly.

public sealed partial class WasiHost
{
    [StructLayout(LayoutKind.Sequential)] struct Timespec { public long Sec, Nsec; }

    [DllImport("libc", SetLastError = true)] static extern int clock_gettime(int id, out Timespec ts);
    [DllImport("libc", SetLastError = true)] static extern int clock_getres(int id, out Timespec ts);

    /// <summary>The clock's current time in nanoseconds, or EINVAL for an unknown clock.</summary>
    internal static ulong Now(uint clock)
    {
        if (clock > 3 || clock_gettime((int)clock, out var t) != 0) throw new WasiError(Errno.Inval);
        return (ulong)t.Sec * 1_000_000_000 + (ulong)t.Nsec;
    }

    Errno ClockResGet(uint clock, uint resPtr)
    {
        if (clock > 3 || clock_getres((int)clock, out var t) != 0) return Errno.Inval;
        Mem.U64(resPtr, Math.Max(1UL, (ulong)t.Sec * 1_000_000_000 + (ulong)t.Nsec));
        return Errno.Success;
    }

    Errno ClockTimeGet(uint clock, ulong precision, uint timePtr)
    {
        Mem.U64(timePtr, Now(clock));
        return Errno.Success;
    }

    Errno RandomGet(uint buf, uint len)
    {
        System.Security.Cryptography.RandomNumberGenerator.Fill(Mem.Slice(buf, len));
        return Errno.Success;
    }
}
