using System.Runtime.InteropServices;

namespace Spec.Native;

/// <summary>The processor time the calling thread has used (Linux's per-thread CPU clock): what compiling cost,
/// apart from the time other processes took the cores.</summary>
internal static partial class ThreadClock
{
    const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds; public long Nanoseconds; }

    public static TimeSpan Now()
    {
        if (clock_gettime(ClockThreadCpuTime, out var t) != 0) return TimeSpan.Zero;
        return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
    }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out TimeSpec time);
}
