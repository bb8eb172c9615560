using Spec.Native.X64;

namespace Spec.Native.Tests;

// Building small functions for the execution tests: assembled, placed in CodeMemory, called through unmanaged
// function pointers with the System V convention (arguments in rdi, rsi, rdx, rcx, r8, r9 and xmm0-7; results in
// rax or xmm0; rbx, rbp, r12-r15 preserved).

internal static class Assembled
{
    /// <summary>One function.</summary>
    public static CodeMemory One(Action<Assembler> body)
    {
        var a = new Assembler();
        body(a);
        return CodeMemory.Create(a.ToArray());
    }

    /// <summary>Many functions in one block; entry i is at Address + Entries[i].</summary>
    public static (CodeMemory Code, int[] Entries) Many(IReadOnlyList<Action<Assembler>> bodies)
    {
        var a = new Assembler();
        var entries = new int[bodies.Count];
        for (int i = 0; i < bodies.Count; i++)
        {
            a.Align(16);
            entries[i] = a.Position;
            bodies[i](a);
        }
        return (CodeMemory.Create(a.ToArray()), entries);
    }

    public static readonly Reg[] CalleeSaved = [Reg.Rbx, Reg.Rbp, Reg.R12, Reg.R13, Reg.R14, Reg.R15];

    /// <summary>Pushes the callee-saved registers, so a body may use any register but rsp.</summary>
    public static void SaveAll(Assembler a)
    {
        foreach (var r in CalleeSaved) a.Push(r);
    }

    public static void RestoreAllAndReturn(Assembler a)
    {
        foreach (var r in CalleeSaved.Reverse()) a.Pop(r);
        a.Ret();
    }

    /// <summary>A value cut to a width, as a register of that width holds it.</summary>
    public static ulong Cut(Width w, ulong v) => w == Width.W64 ? v : v & ((1UL << w.Bits()) - 1);

    /// <summary>The value of width w sign-extended to 64 bits.</summary>
    public static long Signed(Width w, ulong v) => w.Bits() == 64 ? (long)v : (long)(v << (64 - w.Bits())) >> (64 - w.Bits());
}
