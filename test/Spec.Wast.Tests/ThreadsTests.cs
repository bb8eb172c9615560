using NUnit.Framework;

namespace Spec.Wast.Tests;

/// <summary>Atomic accesses of every width and operand form, and the threads proposal's script commands, on each engine.</summary>
[TestFixture("interp")]
[TestFixture("jit")]
[NonParallelizable]
public class ThreadsTests(string engineName)
{
    FileResult Run(string script, TimeSpan? timeout = null, int maxThreads = ScriptThreads.DefaultMax)
    {
        Execution.IEngine? Runtime() => engineName == "jit" ? new Native.Jit(new Native.JitOptions { Fuel = true }) : null;
        var features = Testsuite.ThreadsScripts;
        var threads = new ScriptThreads(left => new StoreEngine(Runtime(), features: features, timeout: left), timeout, maxThreads);
        return new ScriptRunner(Pipeline.For(features), new StoreEngine(Runtime(), features: features, timeout: timeout), threads)
            .Run(WastParser.Parse("t.wast", script), "t.wast");
    }

    static string[] Failures(FileResult r) => [.. r.Failures.Select(f => $"{f.Line} {f.Kind}: {f.Message}")];

    [Test]
    public void Atomic_accesses_wrap_extend_check_alignment_and_reach_other_memories()
    {
        var r = Run("""
            (module
              (memory $m0 1 1 shared)
              (memory $m1 1 1 shared)
              (data (memory $m0) (i32.const 0) "\11\22\33\44\55\66\77\88")
              (data (memory $m1) (i32.const 0) "\11\22\33\44\55\66\77\88")
              (func (export "c-add8") (result i64) (i64.atomic.rmw8.add_u (i32.const 1) (i64.const 0xFFFFFFFFFFFFFFF0)))
              (func (export "c-sub16") (result i32) (i32.atomic.rmw16.sub_u (i32.const 2) (i32.const 0x10001)))
              (func (export "load64") (result i64) (i64.atomic.load (i32.const 0)))
              (func (export "load64m1") (result i64) (i64.atomic.load $m1 (i32.const 0)))
              (func (export "cmpxchg32") (param i64 i64) (result i64) (i64.atomic.rmw32.cmpxchg_u (i32.const 4) (local.get 0) (local.get 1)))
              (func (export "cmpxchg8c") (result i32) (i32.atomic.rmw8.cmpxchg_u (i32.const 0) (i32.const 0x111) (i32.const 0x1AB)))
              (func (export "xor16") (param i32 i32) (result i32) (i32.atomic.rmw16.xor_u (local.get 0) (local.get 1)))
              (func (export "and64") (param i32 i64) (result i64) (i64.atomic.rmw.and (local.get 0) (local.get 1)))
              (func (export "or8m1") (param i32 i32) (result i32) (i32.atomic.rmw8.or_u $m1 (local.get 0) (local.get 1)))
              (func (export "xchg32m1") (param i32 i32) (result i32) (i32.atomic.rmw.xchg $m1 (local.get 0) (local.get 1)))
              (func (export "store16") (param i32 i32) (i32.atomic.store16 (local.get 0) (local.get 1)))
              (func (export "store8c") (i32.atomic.store8 (i32.const 7) (i32.const 0x1FF)))
              (func (export "unaligned-c") (result i32) (i32.atomic.load (i32.const 2)))
              (func (export "unaligned") (param i32) (result i32) (i32.atomic.rmw.add offset=1 (local.get 0) (i32.const 1)))
              (func (export "oob") (param i32) (result i64) (i64.atomic.rmw.or (local.get 0) (i64.const 1)))
              (func (export "mixed") (param i32) (result i32)
                ;; many live values around an atomic op, to exercise register pressure
                (i32.add (i32.add (i32.add (local.get 0) (i32.const 1)) (i32.add (local.get 0) (i32.const 2)))
                  (i32.add (i32.atomic.rmw.and (i32.const 8) (i32.const 0xF0F0)) (i32.atomic.rmw.cmpxchg (i32.const 12) (local.get 0) (i32.const 5)))))
            )
            (assert_return (invoke "c-add8") (i64.const 0x22))
            (assert_return (invoke "load64") (i64.const 0x8877665544331211))
            (assert_return (invoke "c-sub16") (i32.const 0x4433))
            (assert_return (invoke "load64") (i64.const 0x8877665544321211))
            (assert_return (invoke "cmpxchg32" (i64.const 0xFFFFFFFF88776655) (i64.const 0x123456789)) (i64.const 0x88776655))
            (assert_return (invoke "load64") (i64.const 0x2345678944321211))
            (assert_return (invoke "cmpxchg32" (i64.const 0x1) (i64.const 0x5)) (i64.const 0x23456789))
            (assert_return (invoke "cmpxchg8c") (i32.const 0x11))
            (assert_return (invoke "load64") (i64.const 0x23456789443212AB))
            (assert_return (invoke "xor16" (i32.const 6) (i32.const 0xFFFF00FF)) (i32.const 0x2345))
            (assert_return (invoke "load64") (i64.const 0x23BA6789443212AB))
            (assert_return (invoke "and64" (i32.const 0) (i64.const 0xFF00FF00FF00FF00)) (i64.const 0x23BA6789443212AB))
            (assert_return (invoke "load64") (i64.const 0x2300670044001200))
            (assert_return (invoke "or8m1" (i32.const 3) (i32.const 0x101)) (i32.const 0x44))
            (assert_return (invoke "xchg32m1" (i32.const 4) (i32.const 7)) (i32.const 0x88776655))
            (assert_return (invoke "load64m1") (i64.const 0x0000000745332211))
            (invoke "store16" (i32.const 2) (i32.const 0xABCDEF))
            (invoke "store8c")
            (assert_return (invoke "load64") (i64.const 0xFF006700CDEF1200))
            (assert_trap (invoke "unaligned-c") "unaligned atomic")
            (assert_trap (invoke "unaligned" (i32.const 0)) "unaligned atomic")
            (assert_return (invoke "unaligned" (i32.const 3)) (i32.const 0xFF006700))
            (assert_trap (invoke "unaligned" (i32.const 65533)) "out of bounds memory access")
            (assert_trap (invoke "oob" (i32.const 65536)) "out of bounds memory access")
            (assert_trap (invoke "oob" (i32.const 65532)) "out of bounds memory access")
            (assert_trap (invoke "oob" (i32.const 4)) "unaligned atomic")
            (assert_return (invoke "mixed" (i32.const 0)) (i32.const 3))
            """);
        Assert.That(Failures(r), Is.Empty);
        Assert.That(r.Passed, Is.EqualTo(28));
    }

    [Test]
    public void A_deadlocked_thread_fails_at_the_deadline_and_actions_on_shared_instances_fail()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Run("""
            (module $Mem (memory (export "shared") 1 1 shared))
            (thread $T1 (shared (module $Mem))
              (register "mem" $Mem)
              (module
                (memory (import "mem" "shared") 1 1 shared)
                (func (export "run") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
              (assert_return (invoke "run") (i32.const 0))
              (invoke $Mem "x")
            )
            (wait $T1)
            (assert_return (invoke $Mem "x"))
            """, timeout: TimeSpan.FromMilliseconds(500));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(Failures(r), Has.Some.StartsWith("7 assert_return: deadline exceeded"));
        Assert.That(Failures(r), Has.Some.StartsWith("8 invoke: $Mem is shared from another thread"));
    }

    [Test]
    public void A_script_may_start_only_so_many_threads()
    {
        var r = Run("""
            (thread $A) (thread $B (thread $C))
            (wait $B)
            (thread $D)
            (wait $A) (wait $D)
            """, maxThreads: 3);
        // $B joins $C before it ends: once (wait $B) returns, three threads have started, nested ones included.
        Assert.That(Failures(r), Is.EqualTo(new[]
        {
            "3 thread: thread limit reached: a script may start at most 3 threads",
            "4 wait: unknown thread $D",
        }));
    }

    [Test]
    public void A_thread_sees_only_the_instances_it_shares_and_registers_its_own()
    {
        var r = Run("""
            (module $M (memory (export "m") 1 1 shared) (func (export "f") (result i32) (i32.const 1)))
            (register "reg" $M)
            (thread $T (shared (module $M))
              (assert_unlinkable (module (memory (import "reg" "m") 1 1 shared)) "unknown import")
              (register "mine" $M)
              (module $N (memory (import "mine" "m") 1 1 shared) (func (export "store") (i32.atomic.store (i32.const 0) (i32.const 42))))
              (invoke $N "store"))
            (wait $T)
            (module (memory (import "reg" "m") 1 1 shared) (func (export "load") (result i32) (i32.atomic.load (i32.const 0))))
            (assert_return (invoke "load") (either (i32.const 7) (i32.const 42)))
            """);
        Assert.That(Failures(r), Is.Empty);
        Assert.That(r.Passed, Is.EqualTo(10));
    }
}
