using System.IO.Pipes;
using NUnit.Framework;
using Spec.Execution;
using Spec.TextFormat;
using Spec.Wasi;
using Store = Spec.Execution.Store;

namespace Spec.Wasi.Tests;

/// <summary>The store's deadline ends a program even while it waits in a host call: sleeping, or reading a pipe that never writes.</summary>
public class DeadlineTests
{
    /// <summary>Runs <paramref name="wat"/>'s "_start" with WASI under a deadline of 100 ms; the exception it ended with.</summary>
    static Exception? RunUnderDeadline(string wat, Stream? stdin = null)
    {
        var store = new Store();
        using var wasi = new WasiHost(new WasiOptions { Stdin = stdin ?? new MemoryStream(), Stdout = Stream.Null, Stderr = Stream.Null });
        var instance = Instantiation.Instantiate(store, Text.Parse(wat), wasi.Resolver(store));
        store.SetDeadline(TimeSpan.FromMilliseconds(100));
        Exception? ended = null;
        var run = Task.Run(() =>
        {
            try { wasi.RunCommand(store, instance); }
            catch (Exception e) { ended = e; }
        });
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), "the program stopped");
        return ended;
    }

    [Test]
    public void APollWithTheLongestTimeoutEndsAtTheDeadline()
    {
        var e = RunUnderDeadline("""
            (module
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              ;; one subscription at 0: a relative clock (tag 0) on the monotonic clock (1) of 2^64-1 ns
              (func (export "_start")
                (i32.store (i32.const 16) (i32.const 1))
                (i64.store (i32.const 24) (i64.const -1))
                (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))
            """);
        Assert.That(e, Is.InstanceOf<ExhaustionException>().With.Property("Code").EqualTo(TrapCode.DeadlineExceeded));
    }

    [Test]
    public void AReadOfAPipeThatNeverWritesEndsAtTheDeadline()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        var e = RunUnderDeadline("""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 10))
                (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 50)))))
            """, pipe);
        Assert.That(e, Is.InstanceOf<ExhaustionException>().With.Property("Code").EqualTo(TrapCode.DeadlineExceeded));
    }
}
