using System.Diagnostics;
using Spec.Native.X64;

namespace Spec.Bench;

/// <summary>
/// `emit`: the x86-64 emitter alone, on a mix of instructions like a baseline compiler's output (moves, ALU with
/// registers, immediates and memory, loads and stores with base and index, lea, compares with forward and backward
/// branches, setcc, shifts, multiplies, scalar and packed SSE). Reports instructions per second, MB/s of machine
/// code and what one run allocates besides its buffer.
/// </summary>
internal static class Emit
{
    public static int Run(string[] args)
    {
        double millions = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4;
        int count = (int)(millions * 1_000_000);
        for (int i = 0; i < 3; i++) Mix(new Assembler(1 << 20), count / 4); // warm-up, tiering

        var times = new List<double>();
        int bytes = 0;
        for (int i = 0; i < 9; i++)
        {
            var a = new Assembler(count * 8);
            GC.Collect();
            var sw = Stopwatch.StartNew();
            Mix(a, count);
            times.Add(sw.Elapsed.TotalSeconds);
            bytes = a.Position;
        }
        times.Sort();
        var measured = new Assembler(count * 8);
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        int labels = Mix(measured, count);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - alloc0;

        double median = times[times.Count / 2], best = times[0], mb = bytes / (1024.0 * 1024.0);
        Console.WriteLine($"emitted {count:N0} instructions, {bytes:N0} bytes ({(double)bytes / count:F2} bytes each), {labels:N0} labels");
        Console.WriteLine($"time: median {median * 1000:F1} ms, best {best * 1000:F1} ms over {times.Count} runs");
        Console.WriteLine($"throughput: {count / median / 1e6:F1} M instructions/s and {mb / median:F1} MB/s of code (median); "
            + $"{count / best / 1e6:F1} M instructions/s and {mb / best:F1} MB/s (best)");
        Console.WriteLine($"allocated besides the buffer: {allocated / 1024.0:F1} KB for {count:N0} instructions ({(double)allocated / count:F2} bytes an instruction; labels and the fixup table)");
        if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        return 0;
    }

    static readonly Reg[] Regs = [Reg.Rax, Reg.Rcx, Reg.Rdx, Reg.Rbx, Reg.Rsi, Reg.Rdi, Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15];

    /// <summary>Emits count instructions in blocks of 20, each block a forward branch over its body and, every 8th, a loop back; returns the labels made.</summary>
    static int Mix(Assembler a, int count)
    {
        int labels = 0;
        Label? loop = null;
        for (int i = 0; i < count; i += 20)
        {
            Reg r0 = Regs[i % 14], r1 = Regs[(i + 3) % 14], r2 = Regs[(i + 7) % 14];
            Xmm x0 = (Xmm)(i % 16), x1 = (Xmm)((i + 5) % 16);
            if (i % 160 == 0)
            {
                loop = a.NewLabel();
                a.Bind(loop);
                labels++;
            }
            var skip = a.NewLabel();
            labels++;
            a.Mov(Width.W32, r0, Mem.At(Reg.Rbp, -8 * (i % 16) - 16));               // local.get from a spill slot
            a.Mov(Width.W64, r1, Mem.At(Reg.R15, 0x40));                             // the instance's memory base
            a.Alu(AluOp.Add, Width.W32, r0, i & 0xFF);
            a.Mov(Width.W32, r2, Mem.At(r1, r0, 1, i & 0xFFF));                       // i32.load
            a.Alu(AluOp.Sub, Width.W32, r2, r0);
            a.Imul(Width.W32, r2, r0);
            a.Shift(ShiftOp.Shl, Width.W32, r0, (byte)(i & 31));
            a.Alu(AluOp.Cmp, Width.W32, r0, r2);
            a.Jcc(Cond.GE, skip);                                                    // a forward branch: a fixup
            a.Setcc(Cond.L, r2);
            a.Movzx(r2, Width.W8, r2);
            a.Mov(Width.W32, Mem.At(r1, r0, 1, 16), r2);                              // i32.store
            a.Lea(Width.W64, r0, Mem.At(r0, r2, 4, 8));
            a.Alu(AluOp.Xor, Width.W64, r1, Mem.At(Reg.Rsp, 8));
            a.MovImm(r1, (ulong)i * 0x10001);
            a.Bind(skip);
            a.MovsdLoad(x0, Mem.At(Reg.Rbp, -64));
            a.Sse(SseOp.Addsd, x0, x1);
            a.Sse(SseOp.Paddd, x1, x0);
            a.MovsdStore(Mem.At(Reg.Rbp, -64), x0);
            if (i % 160 == 140) a.Jcc(Cond.NE, loop!);                              // a backward branch
            else a.Mov(Width.W64, Mem.At(Reg.Rbp, -24), r0);
        }
        return labels;
    }
}
