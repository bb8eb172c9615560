using NUnit.Framework;
using Spec.Native.X64;

namespace Spec.Native.Tests;

// The atomic instructions on a pinned buffer, alone and raced by two threads.

[NonParallelizable]
public unsafe class AtomicExecutionTests
{
    [Test]
    public void Xadd_cmpxchg_xchg_and_locked_alu_update_memory_and_return_the_old_value()
    {
        var bodies = new List<Action<Assembler>>
        {
            // fn(p, v) for each width: xadd returns the old value, xchg too.
            a => { a.Mov(Width.W64, Reg.Rax, Reg.Rsi); a.LockXadd(Width.W64, Mem.At(Reg.Rdi), Reg.Rax); a.Ret(); },
            a => { a.Mov(Width.W64, Reg.R10, Reg.Rsi); a.LockXadd(Width.W32, Mem.At(Reg.Rdi, 8), Reg.R10); a.Mov(Width.W32, Reg.Rax, Reg.R10); a.Ret(); },
            a => { a.Mov(Width.W64, Reg.Rax, Reg.Rsi); a.Xchg(Width.W64, Mem.At(Reg.Rdi), Reg.Rax); a.Ret(); },
            a => { a.Mov(Width.W64, Reg.Rax, Reg.Rsi); a.Xchg(Width.W8, Mem.At(Reg.Rdi, 3), Reg.Rax); a.Movzx(Reg.Rax, Width.W8, Reg.Rax); a.Ret(); },
            // fn(p, expected, replacement): returns rax (the old value) and ZF in bit 32.
            a =>
            {
                a.Mov(Width.W64, Reg.Rax, Reg.Rsi);
                a.MovImm(Reg.R8, 0);
                a.LockCmpxchg(Width.W64, Mem.At(Reg.Rdi), Reg.Rdx);
                a.Setcc(Cond.E, Reg.R8);
                a.Shift(ShiftOp.Shl, Width.W64, Reg.R8, 32);
                a.Alu(AluOp.Or, Width.W64, Reg.Rax, Reg.R8); // the old value's upper half is zero in these tests
                a.Ret();
            },
            a => { a.Mov(Width.W64, Reg.Rax, Reg.Rsi); a.LockCmpxchg(Width.W16, Mem.At(Reg.Rdi, 2), Reg.Rdx); a.Movzx(Reg.Rax, Width.W16, Reg.Rax); a.Ret(); },
        };
        var lockable = Enum.GetValues<AluOp>().Where(o => o != AluOp.Cmp).ToArray();
        foreach (var op in lockable)
            bodies.Add(a => { a.MovImm(Reg.Rax, 0); a.Alu(AluOp.Add, Width.W64, Reg.Rax, 0); /* CF = 0 for adc and sbb */ a.LockAlu(op, Width.W64, Mem.At(Reg.Rdi), Reg.Rsi); a.Mov(Width.W64, Reg.Rax, Mem.At(Reg.Rdi)); a.Ret(); });
        var (code, entries) = Assembled.Many(bodies);
        using (code)
        {
            var cell = new ulong[2];
            fixed (ulong* p = cell)
            {
                nint F(int i) => code.Address + entries[i];
                cell[0] = 40;
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong>)F(0))(p, 2), Is.EqualTo(40UL));
                Assert.That(cell[0], Is.EqualTo(42UL));
                cell[1] = 0xFFFF_FFFF;
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong>)F(1))(p, 1), Is.EqualTo(0xFFFF_FFFFUL));
                Assert.That(cell[1], Is.Zero, "a 32-bit xadd wraps within its 32 bits");
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong>)F(2))(p, 7), Is.EqualTo(42UL));
                Assert.That(cell[0], Is.EqualTo(7UL));
                cell[0] = 0x1122_3344_5566_7788;
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong>)F(3))(p, 0xAB), Is.EqualTo(0x55UL));
                Assert.That(cell[0], Is.EqualTo(0x1122_3344_AB66_7788UL));

                cell[0] = 5;
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong, ulong>)F(4))(p, 5, 9), Is.EqualTo(5UL | (1UL << 32)), "success: ZF set");
                Assert.That(cell[0], Is.EqualTo(9UL));
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong, ulong>)F(4))(p, 5, 11), Is.EqualTo(9UL), "failure: ZF clear, rax = the current value");
                Assert.That(cell[0], Is.EqualTo(9UL));
                cell[0] = 0x0000_0000_BEEF_0000;
                Assert.That(((delegate* unmanaged<ulong*, ulong, ulong, ulong>)F(5))(p, 0xBEEF, 0x1234), Is.EqualTo(0xBEEFUL));
                Assert.That(cell[0], Is.EqualTo(0x0000_0000_1234_0000UL));

                for (int i = 0; i < lockable.Length; i++)
                {
                    ulong a = 0xF0F0_1234_0000_FFFF, b = 0x0FF0_0001_FFFF_0001;
                    cell[0] = a;
                    ulong expected = lockable[i] switch
                    {
                        AluOp.Add or AluOp.Adc => a + b,
                        AluOp.Sub or AluOp.Sbb => a - b,
                        AluOp.And => a & b,
                        AluOp.Or => a | b,
                        _ => a ^ b,
                    };
                    Assert.That(((delegate* unmanaged<ulong*, ulong, ulong>)F(6 + i))(p, b), Is.EqualTo(expected), $"lock {lockable[i]}");
                    Assert.That(cell[0], Is.EqualTo(expected), $"lock {lockable[i]}");
                }
            }
        }
    }

    [Test]
    public void Locked_increments_from_two_threads_are_never_lost()
    {
        // fn(p, n): announce itself in p[2] and spin until both threads have, so that they overlap; then n times
        // lock xadd qword [p], 1 and lock add dword [p + 8], 1; then mfence.
        using var code = Assembled.One(a =>
        {
            var spin = a.NewLabel();
            var loop = a.NewLabel();
            a.MovImm(Reg.R9, 1);
            a.LockAlu(AluOp.Add, Width.W64, Mem.At(Reg.Rdi, 16), Reg.R9);
            a.Bind(spin);
            a.Alu(AluOp.Cmp, Width.W64, Mem.At(Reg.Rdi, 16), 2);
            a.Jcc(Cond.NE, spin);
            a.Bind(loop);
            a.MovImm(Reg.Rax, 1);
            a.LockXadd(Width.W64, Mem.At(Reg.Rdi), Reg.Rax);
            a.LockAlu(AluOp.Add, Width.W32, Mem.At(Reg.Rdi, 8), Reg.R9);
            a.Alu(AluOp.Sub, Width.W64, Reg.Rsi, 1);
            a.Jcc(Cond.NE, loop);
            a.Mfence();
            a.Ret();
        });
        var counter = GC.AllocateArray<ulong>(3, pinned: true);
        nint f = code.Address;
        ulong* p = (ulong*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref counter[0]);
        const int n = 2_000_000;
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() => ((delegate* unmanaged<ulong*, ulong, void>)f)(p, n))).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.That(counter[0], Is.EqualTo(2UL * n));
        Assert.That(counter[1], Is.EqualTo(2UL * n));
    }
}
