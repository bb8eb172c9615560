using System.Diagnostics;
using NUnit.Framework;
using Spec.Execution;
using Spec.Syntax;
using Spec.TextFormat;
using Store = Spec.Execution.Store;

namespace Spec.Native.Tests;

// Shared memory between host threads on each engine: every thread an instance in a store of its own over one
// memory. Atomics must not lose updates that plain loads and stores do lose; wait blocks until notified or timed out.

[TestFixture("interp")]
[TestFixture("jit")]
[NonParallelizable]
public sealed class SharedMemoryTests(string engine)
{
    const string Counter = """
        (module
          (memory (import "env" "memory") 1 1 shared)
          ;; Every adder first waits, spinning, until all $threads have arrived at [8], so that they all run at once.
          (func $arrive (param $threads i32)
            (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
            (loop $spin (br_if $spin (i32.lt_u (i32.atomic.load (i32.const 8)) (local.get $threads)))))
          (func (export "atomic-add") (param $n i32) (param $threads i32)
            (call $arrive (local.get $threads))
            (loop $next
              (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func (export "plain-add") (param $n i32) (param $threads i32)
            (call $arrive (local.get $threads))
            (loop $next
              (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func (export "wait") (param $expected i32) (param $timeout i64) (result i32)
            (memory.atomic.wait32 (i32.const 0) (local.get $expected) (local.get $timeout)))
          (func (export "notify") (param $count i32) (result i32)
            (memory.atomic.notify (i32.const 0) (local.get $count))))
        """;

    static readonly Module CounterModule = Text.Parse(Counter);

    IEngine Engine() => engine == "jit" ? new Jit() : Execution.Reduction.Interpreter.Engine;

    static MemInst SharedMemory() =>
        Embedding.AllocMem(new Store(), new MemType(AddrType.I32, new Limits(1, 1), Shared: true));

    static uint Read32(MemInst mem, ulong at) => BitConverter.ToUInt32(Embedding.ReadMemory(mem, at, 4));

    /// <summary>Runs <paramref name="export"/> of a fresh instance on each of <paramref name="threads"/> threads at once; gives what each returned.</summary>
    IReadOnlyList<Value>[] RunConcurrently(MemInst mem, int threads, string export, params Value[] args)
    {
        var started = Enumerable.Range(0, threads)
            .Select(_ => WasmThread.Start(CounterModule, [new ExternVal.Mem(mem)], export, args, Engine())).ToList();
        return [.. started.Select(t => t.Join())];
    }

    [Test]
    public void Eight_threads_adding_a_million_times_atomically_lose_no_update()
    {
        var mem = SharedMemory();
        RunConcurrently(mem, 8, "atomic-add", Value.I32(1_000_000), Value.I32(8));
        Assert.That(Read32(mem, 0), Is.EqualTo(8_000_000u));
    }

    [Test]
    public void Plain_loads_and_stores_from_several_threads_lose_updates()
    {
        // Proof that the threads really run at once: a read-add-write that is not atomic loses some of its updates.
        const int threads = 8, each = 200_000;
        for (int run = 1; run <= 20; run++)
        {
            var mem = SharedMemory();
            RunConcurrently(mem, threads, "plain-add", Value.I32(each), Value.I32(threads));
            var total = Read32(mem, 0);
            Assert.That(total, Is.LessThanOrEqualTo((uint)(threads * each)));
            if (total < threads * each) return;
        }
        Assert.Fail("20 runs of 8 threads never lost an update: the threads did not run concurrently");
    }

    [Test]
    public void A_wait_times_out_after_its_timeout_and_not_much_later()
    {
        var mem = SharedMemory();
        var clock = Stopwatch.StartNew();
        var result = RunConcurrently(mem, 1, "wait", Value.I32(0), Value.I64(10_000_000))[0];
        clock.Stop();
        Assert.That(result[0].AsI32, Is.EqualTo(2), "timed-out");
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(10)));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(RunConcurrently(mem, 1, "wait", Value.I32(1), Value.I64(-1))[0][0].AsI32, Is.EqualTo(1), "not-equal: returns at once");
    }

    [Test]
    public void Notify_with_count_three_wakes_exactly_three_of_five_waiters()
    {
        var mem = SharedMemory();
        var waiters = Enumerable.Range(0, 5)
            .Select(_ => WasmThread.Start(CounterModule, [new ExternVal.Mem(mem)], "wait", [Value.I32(0), Value.I64(-1)], Engine())).ToList();
        foreach (var w in waiters) w.Store.SetDeadline(TimeSpan.FromSeconds(20));
        WaitUntil(() => mem.WaitersAt(0) == 5);

        Assert.That(Notify(mem, 3), Is.EqualTo(3));
        WaitUntil(() => waiters.Count(w => !w.IsRunning) == 3);
        Thread.Sleep(50);
        Assert.That(waiters.Count(w => w.IsRunning), Is.EqualTo(2), "the other two still wait");
        Assert.That(mem.WaitersAt(0), Is.EqualTo(2));
        Assert.That(waiters.Where(w => !w.IsRunning).Select(w => w.Join()[0].AsI32), Is.All.EqualTo(0), "ok");

        Assert.That(Notify(mem, 5), Is.EqualTo(2), "only two were left");
        Assert.That(waiters.Select(w => w.Join()[0].AsI32), Is.All.EqualTo(0));
        Assert.That(Notify(mem, 1), Is.Zero);
    }

    [Test]
    public void Notify_wakes_the_oldest_waiter_first()
    {
        var mem = SharedMemory();
        var waiters = new List<WasmThread>();
        for (int k = 0; k < 3; k++)
        {
            var w = WasmThread.Start(CounterModule, [new ExternVal.Mem(mem)], "wait", [Value.I32(0), Value.I64(-1)], Engine());
            w.Store.SetDeadline(TimeSpan.FromSeconds(20));
            waiters.Add(w);
            WaitUntil(() => mem.WaitersAt(0) == k + 1);
        }
        for (int k = 0; k < 3; k++)
        {
            Assert.That(Notify(mem, 1), Is.EqualTo(1));
            Assert.That(waiters[k].Join(TimeSpan.FromSeconds(10)), Is.True, $"waiter {k} woken");
            Assert.That(waiters.Skip(k + 1).All(w => w.IsRunning), Is.True, "the younger ones still wait");
        }
    }

    [Test]
    public void Interrupting_the_store_ends_a_wait_that_would_block_forever()
    {
        var mem = SharedMemory();
        var w = WasmThread.Start(CounterModule, [new ExternVal.Mem(mem)], "wait", [Value.I32(0), Value.I64(-1)], Engine());
        WaitUntil(() => mem.WaitersAt(0) == 1);
        w.Store.Interrupt();
        Assert.That(Assert.Throws<ExhaustionException>(() => w.Join())!.Reason, Is.EqualTo("interrupted"));
        Assert.That(mem.WaitersAt(0), Is.Zero, "the interrupted waiter left the queue");
    }

    [Test]
    public void Concurrent_grows_of_a_shared_memory_each_get_their_own_old_size()
    {
        var mem = Embedding.AllocMem(new Store(), new MemType(AddrType.I32, new Limits(0, 64), Shared: true));
        var growers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 16).Select(_ => Embedding.GrowMemory(mem, 1)!.Value).ToList())).ToList();
        var olds = growers.SelectMany(t => t.Result).Order().ToList();
        Assert.That(olds, Is.EqualTo(Enumerable.Range(0, 64).Select(n => (ulong)n)), "every old size once");
        Assert.That(mem.Pages, Is.EqualTo(64UL));
        Assert.That(Embedding.GrowMemory(mem, 1), Is.Null, "past the maximum");
    }

    uint Notify(MemInst mem, int count)
    {
        var store = new Store(Engine());
        var instance = Instantiation.Instantiate(store, CounterModule, [new ExternVal.Mem(mem)], new Features(Threads: true));
        return Embedding.Invoke(store, (ExternVal.Func)instance.Export("notify")!, [Value.I32(count)])[0].AsU32;
    }

    static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail("timed out waiting for the threads");
            Thread.Sleep(1);
        }
    }
}

/// <summary>The README's parallel sum (examples/threads) on each engine.</summary>
[TestFixture("interp")]
[TestFixture("jit")]
public sealed class ParallelSumExampleTests(string engine)
{
    static readonly Module Example = Text.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "examples", "threads", "parallel-sum.wat")));

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (WasmSpec.sln) not found");
    }

    [TestCase(1)]
    [TestCase(4)]
    public void Workers_add_their_slices_into_one_counter_and_the_coordinator_waits_for_all(int workers)
    {
        var numbers = Enumerable.Range(1, 30_000).Select(n => n * 7919).ToArray();
        int expected = unchecked(numbers.Aggregate(0, (s, n) => s + n) * 3);
        var sum = Spec.Examples.ParallelSum.Run(Example, numbers, workers, () => engine == "jit" ? new Jit() : null, rounds: 3);
        Assert.That(sum, Is.EqualTo(expected));
    }
}
