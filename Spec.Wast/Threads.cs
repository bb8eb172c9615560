namespace Spec.Wast;

// The threads proposal's scripts start threads that run concurrently with the script (Runner: StartThread). What
// the threads of one script share is here: how each gets an engine of its own, the script's deadline, and how many
// may start. Only the count changes, atomically.

/// <summary>What the threads of one script share: how each thread gets its engine (a store of its own), the time
/// the script has left, and the number of threads it may start (<see cref="Max"/>, nested threads included).</summary>
internal sealed class ScriptThreads(Func<TimeSpan?, IScriptEngine?> newEngine, TimeSpan? timeout, int max = ScriptThreads.DefaultMax)
{
    /// <summary>How many threads a script may start unless told otherwise: far more than a test needs, few enough for any machine.</summary>
    public const int DefaultMax = 64;

    /// <summary>The deadline of a script that starts threads when no --timeout gives one: a deadlock fails rather than hangs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The stack of each thread: engines recurse, scripts nest.</summary>
    public const int StackSize = 64 << 20;

    /// <summary>How long past the deadline a join waits for a thread's store to notice it and stop.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    readonly long? deadline = timeout is { } t ? Environment.TickCount64 + (long)Math.Ceiling(t.TotalMilliseconds) : null;
    int count;

    public int Max => max;

    /// <summary>Counts one more thread; false past <see cref="Max"/>.</summary>
    public bool TryStart() => Interlocked.Increment(ref count) <= max;

    /// <summary>The time left before the script's deadline, or null when it has none.</summary>
    public TimeSpan? Left() => deadline is { } d ? TimeSpan.FromMilliseconds(Math.Max(0, d - Environment.TickCount64)) : null;

    /// <summary>A fresh engine for a new thread, whose store stops at the script's deadline.</summary>
    public IScriptEngine? NewEngine() => newEngine(Left());
}
