using Spec.Execution;
using Spec.Native;

namespace Spec.Cli;

/// <summary>The engines commands run on, by the name --engine gives.</summary>
internal static class Engines
{
    public const string Names = "interp|jit";

    /// <summary>The engine called <paramref name="name"/>, or why there is none; fuel needs the JIT's metering.</summary>
    public static IEngine? ByName(string name, bool fuel, out string? why)
    {
        why = null;
        switch (name)
        {
            case "interp": return Execution.Reduction.Interpreter.Engine;
            case "jit":
                why = Jit.Unsupported;
                return why is null ? new Jit(new JitOptions { Fuel = fuel }) : null;
            default:
                why = $"unknown engine {name} (one of {Names})";
                return null;
        }
    }

    /// <summary>Compiled code runs on the calling thread's stack: commands run Wasm on a thread with a deep one.</summary>
    public const int StackSize = 512 << 20;

    /// <summary>Runs <paramref name="work"/> on a thread with a deep stack and returns its result.</summary>
    public static T OnDeepStack<T>(Func<T> work)
    {
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var t = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
        }, StackSize);
        t.Start();
        t.Join();
        failure?.Throw();
        return result;
    }
}
