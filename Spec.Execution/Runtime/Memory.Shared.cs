using System.Diagnostics;
using Spec.Syntax;

namespace Spec.Execution;

// The threads proposal's side of a memory instance, shared by both engines: atomic accesses that are sequentially
// consistent on the bytes whichever thread makes them, and the waiter queues of memory.atomic.wait/notify.
// On x86-64, aligned plain loads with locked stores and read-modify-writes are sequentially consistent: a store is an
// exchange (a release-only store would let the SB litmus test see both loads read 0), every read-modify-write a
// locked instruction (Interlocked). The waiter queues are mutable state under one lock per memory.

public sealed unsafe partial class MemInst
{
    // ---- Atomic accesses: ea is in bounds and aligned to the access (the caller checked) ----

    /// <summary>The <paramref name="bits"/>-bit value at <paramref name="ea"/>, zero-extended.</summary>
    internal ulong AtomicLoad(ulong ea, int bits)
    {
        var p = Pointer(ea);
        return bits switch
        {
            8 => Volatile.Read(ref *p),
            16 => Volatile.Read(ref *(ushort*)p),
            32 => Volatile.Read(ref *(uint*)p),
            _ => Volatile.Read(ref *(ulong*)p),
        };
    }

    /// <summary>Stores the low <paramref name="bits"/> of <paramref name="v"/> at <paramref name="ea"/> with an exchange (a full fence).</summary>
    internal void AtomicStore(ulong ea, int bits, ulong v)
    {
        var p = Pointer(ea);
        switch (bits)
        {
            case 8: Interlocked.Exchange(ref *p, (byte)v); break;
            case 16: Interlocked.Exchange(ref *(ushort*)p, (ushort)v); break;
            case 32: Interlocked.Exchange(ref *(uint*)p, (uint)v); break;
            default: Interlocked.Exchange(ref *(ulong*)p, v); break;
        }
    }

    /// <summary>atomic.rmw: applies <paramref name="op"/> with <paramref name="operand"/> (already wrapped to the width) and returns the old value.</summary>
    internal ulong AtomicRmw(ulong ea, int bits, AtomicOp op, ulong operand)
    {
        var p = Pointer(ea);
        return (bits, op) switch
        {
            (32, AtomicOp.Add) => Interlocked.Add(ref *(uint*)p, (uint)operand) - (uint)operand,
            (32, AtomicOp.Sub) => Interlocked.Add(ref *(uint*)p, 0u - (uint)operand) + (uint)operand,
            (32, AtomicOp.And) => Interlocked.And(ref *(uint*)p, (uint)operand),
            (32, AtomicOp.Or) => Interlocked.Or(ref *(uint*)p, (uint)operand),
            (32, AtomicOp.Xchg) => Interlocked.Exchange(ref *(uint*)p, (uint)operand),
            (64, AtomicOp.Add) => Interlocked.Add(ref *(ulong*)p, operand) - operand,
            (64, AtomicOp.Sub) => Interlocked.Add(ref *(ulong*)p, 0UL - operand) + operand,
            (64, AtomicOp.And) => Interlocked.And(ref *(ulong*)p, operand),
            (64, AtomicOp.Or) => Interlocked.Or(ref *(ulong*)p, operand),
            (64, AtomicOp.Xchg) => Interlocked.Exchange(ref *(ulong*)p, operand),
            // The rest (xor, and every 8- and 16-bit form) retry a compare-exchange of the accessed width itself.
            _ => RmwByCompareExchange(ea, bits, op, operand),
        };
    }

    ulong RmwByCompareExchange(ulong ea, int bits, AtomicOp op, ulong operand)
    {
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        for (var old = AtomicLoad(ea, bits); ;)
        {
            var updated = op switch
            {
                AtomicOp.Add => old + operand,
                AtomicOp.Sub => old - operand,
                AtomicOp.And => old & operand,
                AtomicOp.Or => old | operand,
                AtomicOp.Xor => old ^ operand,
                _ => operand,
            } & mask;
            var seen = AtomicCompareExchange(ea, bits, old, updated);
            if (seen == old) return old;
            old = seen;
        }
    }

    /// <summary>atomic.rmw.cmpxchg: writes <paramref name="replacement"/> if the value is <paramref name="expected"/>; returns the value read.</summary>
    internal ulong AtomicCompareExchange(ulong ea, int bits, ulong expected, ulong replacement)
    {
        var p = Pointer(ea);
        return bits switch
        {
            8 => Interlocked.CompareExchange(ref *p, (byte)replacement, (byte)expected),
            16 => Interlocked.CompareExchange(ref *(ushort*)p, (ushort)replacement, (ushort)expected),
            32 => Interlocked.CompareExchange(ref *(uint*)p, (uint)replacement, (uint)expected),
            _ => Interlocked.CompareExchange(ref *(ulong*)p, replacement, expected),
        };
    }

    // ---- Waiting and notifying ----

    /// <summary>A thread blocked in memory.atomic.wait; <see cref="Notified"/> is set under the queues' lock.</summary>
    sealed class Waiter
    {
        public readonly ManualResetEventSlim Woken = new(false);
        public bool Notified;
    }

    /// <summary>The waiters of each address, first come first woken; made by the first wait. Also the lock of every queue.</summary>
    Dictionary<ulong, LinkedList<Waiter>>? waiters;

    Dictionary<ulong, LinkedList<Waiter>> Waiters()
    {
        var w = Volatile.Read(ref waiters);
        if (w is not null) return w;
        Interlocked.CompareExchange(ref waiters, new Dictionary<ulong, LinkedList<Waiter>>(), null);
        return waiters!;
    }

    /// <summary>The outcomes of memory.atomic.wait, as the instruction returns them.</summary>
    internal const int WaitOk = 0, WaitNotEqual = 1, WaitTimedOut = 2;

    /// <summary>
    /// memory.atomic.wait on a shared memory: <see cref="WaitNotEqual"/> if the value at <paramref name="ea"/> is not
    /// <paramref name="expected"/>; else blocks the calling thread until a notify wakes it (<see cref="WaitOk"/>) or
    /// <paramref name="timeoutNs"/> nanoseconds pass (<see cref="WaitTimedOut"/>; negative waits forever). When
    /// <paramref name="store"/> is asked to stop meanwhile (deadline, interruption), that exhaustion is thrown.
    /// </summary>
    internal int Wait(Store store, ulong ea, int bits, ulong expected, long timeoutNs)
    {
        var queues = Waiters();
        var me = new Waiter();
        LinkedListNode<Waiter> node;
        // Comparing under the lock that notify takes: a notify after the value changed cannot pass this waiter by.
        lock (queues)
        {
            if (AtomicLoad(ea, bits) != expected) return WaitNotEqual;
            if (!queues.TryGetValue(ea, out var queue)) queues[ea] = queue = new LinkedList<Waiter>();
            node = queue.AddLast(me);
        }
        // The timeout in ticks of 100 ns, rounded up: the wait lasts at least what was asked.
        long timeoutTicks = timeoutNs < 0 ? -1 : timeoutNs / 100 + (timeoutNs % 100 != 0 ? 1 : 0);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var left = timeoutTicks < 0 ? MaxWaitPart : TimeSpan.FromTicks(Math.Max(0, timeoutTicks - clock.Elapsed.Ticks));
                // A timeout longer than one wait can take (int.MaxValue ms) is waited in parts.
                if (left > MaxWaitPart) left = MaxWaitPart;
                try { me.Woken.Wait(left, store.Stopping); }
                catch (OperationCanceledException) { }
                lock (queues)
                {
                    if (me.Notified) return WaitOk;
                    if (store.Stopping.IsCancellationRequested && store.TakeInterrupt() is { } stop)
                    {
                        Leave(queues, ea, node);
                        throw new ExhaustionException(stop);
                    }
                    if (timeoutTicks >= 0 && clock.Elapsed.Ticks >= timeoutTicks)
                    {
                        Leave(queues, ea, node);
                        return WaitTimedOut;
                    }
                }
            }
        }
        finally { me.Woken.Dispose(); }
    }

    static readonly TimeSpan MaxWaitPart = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    static void Leave(Dictionary<ulong, LinkedList<Waiter>> queues, ulong ea, LinkedListNode<Waiter> node)
    {
        var queue = node.List!;
        queue.Remove(node);
        if (queue.Count == 0) queues.Remove(ea);
    }

    /// <summary>How many threads are waiting at <paramref name="address"/> (blocked in memory.atomic.wait, not yet woken).</summary>
    public int WaitersAt(ulong address)
    {
        var queues = Volatile.Read(ref waiters);
        if (queues is null) return 0;
        lock (queues) return queues.TryGetValue(address, out var queue) ? queue.Count : 0;
    }

    /// <summary>memory.atomic.notify: wakes up to <paramref name="count"/> of the threads waiting at <paramref name="ea"/>, oldest first; returns how many.</summary>
    internal uint Notify(ulong ea, uint count)
    {
        var queues = Volatile.Read(ref waiters);
        if (queues is null || count == 0) return 0;
        uint woken = 0;
        lock (queues)
        {
            if (!queues.TryGetValue(ea, out var queue)) return 0;
            while (woken < count && queue.First is { } first)
            {
                queue.RemoveFirst();
                first.Value.Notified = true;
                first.Value.Woken.Set();
                woken++;
            }
            if (queue.Count == 0) queues.Remove(ea);
        }
        return woken;
    }
}
