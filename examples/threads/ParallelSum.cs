using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Examples;

/// <summary>
/// The parallel sum of <c>parallel-sum.wat</c>, driven from .NET: one shared memory holding the numbers, one Wasm
/// thread per worker (each an instance of the module in a store of its own over that memory), and the coordinator,
/// an instance on the calling thread, waiting in <c>memory.atomic.wait32</c> until every worker has notified.
/// </summary>
public static class ParallelSum
{
    /// <summary>The sum (wrapping, as i32) of <paramref name="numbers"/> taken <paramref name="rounds"/> times, by <paramref name="workers"/>
    /// threads; <paramref name="engine"/> makes each store's engine (null: the interpreter).</summary>
    public static int Run(Module module, int[] numbers, int workers, Func<IEngine?> engine, int rounds = 1)
    {
        var coordinatorStore = new Store(engine());
        ulong pages = (ulong)(64 + 4L * numbers.Length + 65535) / 65536;
        var memory = Embedding.AllocMem(coordinatorStore, new MemType(AddrType.I32, new Limits(pages, 256), Shared: true));
        Embedding.WriteMemory(memory, 64, MemoryMarshal.AsBytes(numbers.AsSpan()));
        var coordinator = Instantiation.Instantiate(coordinatorStore, module, [new ExternVal.Mem(memory)], new Features(Threads: true));

        var threads = Enumerable.Range(0, workers).Select(w => WasmThread.Start(module, [new ExternVal.Mem(memory)], "work",
            [Value.I32(numbers.Length * w / workers), Value.I32(numbers.Length * (w + 1) / workers), Value.I32(rounds)],
            engine())).ToList();

        var sum = Embedding.Invoke(coordinatorStore, (ExternVal.Func)coordinator.Export("await")!, [Value.I32(workers)])[0].AsI32;
        foreach (var t in threads) t.Join(); // each has returned (or rethrows what stopped it)
        return sum;
    }
}
