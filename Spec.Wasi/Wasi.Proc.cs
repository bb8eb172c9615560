namespace Spec.Wasi;

// proc_exit, proc_raise, sched_yield.

public sealed partial class WasiHost
{
    /// <summary>proc_exit: unwinds the whole invocation with the exit code.</summary>
    Errno ProcExit(uint code) => throw new WasiExitException((int)code);

    /// <summary>proc_raise: signals are not part of this host (deprecated in preview1 itself).</summary>
    Errno ProcRaise(uint signal) => signal > 30 ? Errno.Inval : Errno.NoSys;

    Errno SchedYield()
    {
        Thread.Yield();
        return Errno.Success;
    }
}
