using Iced.Intel;
using NUnit.Framework;
using Spec.Native.X64;

namespace Spec.Native.Tests;

// The encoding tests' oracle: an instruction is emitted, decoded by Iced, and its mnemonic, operands and length are
// compared with expectations built from the test's own inputs (registers, memory form, immediate).

/// <summary>An expected operand.</summary>
internal abstract record Op;

/// <summary>A register operand.</summary>
internal sealed record R(Register Reg) : Op;

/// <summary>A memory operand; Size is the access size in bytes, or -1 when not checked.</summary>
internal sealed record M(Register Base, Register Index, int Scale, ulong Disp, int DisplSize, int Size = -1) : Op;

/// <summary>An immediate: its value as Iced reads it (extended to the operand size) and, when given, its kind.</summary>
internal sealed record I(ulong Value, OpKind? Kind = null) : Op;

/// <summary>A near branch to an absolute target.</summary>
internal sealed record B(ulong Target) : Op;

/// <summary>
/// A memory operand as a test names it, built into a <see cref="Mem"/> and into the operand Iced should decode.
/// A RIP-relative form refers to a label bound 8 bytes before the instruction (Back) or 32 after it (forward).
/// </summary>
internal readonly record struct MemCase(Reg Base, Reg? Index, int Scale, int Disp, MemCase.RipKind Rip)
{
    public enum RipKind { None, Back, Forward }

    public static MemCase Of(Reg @base, int disp) => new(@base, null, 1, disp, RipKind.None);
    public static MemCase Of(Reg @base, Reg index, int scale, int disp) => new(@base, index, scale, disp, RipKind.None);

    public static readonly int[] Disps = [0, 1, -1, 127, -128, 128, -129, int.MaxValue, int.MinValue];
    public static readonly int[] RipDisps = [0, 1, -1, 127, -129, 1 << 29, -(1 << 29)];

    /// <summary>Every base with every displacement, without an index and with each index and scale; then RIP-relative ones.</summary>
    public static readonly MemCase[] All = Build();

    static MemCase[] Build()
    {
        var all = new List<MemCase>();
        foreach (var b in Enum.GetValues<Reg>())
            foreach (int d in Disps)
            {
                all.Add(Of(b, d));
                foreach (var i in Enum.GetValues<Reg>())
                    if (i != Reg.Rsp)
                        foreach (int s in new[] { 1, 2, 4, 8 }) all.Add(Of(b, i, s, d));
            }
        foreach (int d in RipDisps)
        {
            all.Add(new(Reg.Rax, null, 1, d, RipKind.Back));
            all.Add(new(Reg.Rax, null, 1, d, RipKind.Forward));
        }
        return [.. all];
    }

    /// <summary>
    /// A smaller sweep for one instruction among many: every base with every index (scale and displacement
    /// cycling), every base without one at every displacement, and the RIP-relative forms.
    /// </summary>
    public static readonly MemCase[] Sample = BuildSample();

    static MemCase[] BuildSample()
    {
        var some = new List<MemCase>();
        int k = 0;
        foreach (var b in Enum.GetValues<Reg>())
        {
            foreach (int d in Disps) some.Add(Of(b, d));
            foreach (var i in Enum.GetValues<Reg>())
                if (i != Reg.Rsp) { some.Add(Of(b, i, 1 << (k % 4), Disps[k % Disps.Length])); k++; }
        }
        some.AddRange(All.Where(m => m.Rip != RipKind.None));
        return [.. some];
    }

    public Mem Build(Label back, Label forward) => Rip switch
    {
        RipKind.Back => Mem.Rip(back, Disp),
        RipKind.Forward => Mem.Rip(forward, Disp),
        _ => Index is { } i ? Mem.At(Base, i, Scale, Disp) : Mem.At(Base, Disp),
    };

    /// <summary>The decoded operand: displacement sign-extended; disp8 when it fits, none when zero except for an rbp/r13 base, else disp32.</summary>
    public M Expect(int backOffset, int forwardOffset, int size)
    {
        if (Rip != RipKind.None)
            return new M(Register.RIP, Register.None, 1, (ulong)((Rip == RipKind.Back ? backOffset : forwardOffset) + (long)Disp), -1, size);
        // Iced reports a disp32 of 64-bit addressing as 8 bytes: the size it is sign-extended to.
        int displ = Disp == 0 && Base is not (Reg.Rbp or Reg.R13) ? 0 : Disp is >= -128 and <= 127 ? 1 : 8;
        return new M(X.Gpr(Base, Width.W64), Index is { } i ? X.Gpr(i, Width.W64) : Register.None, Scale, (ulong)(long)Disp, displ, size);
    }

    public override string ToString() => Rip != RipKind.None ? $"[rip+{Rip}{Disp:+0;-0}]"
        : Index is { } i ? $"[{Base}+{i}*{Scale}{Disp:+0;-0}]" : $"[{Base}{Disp:+0;-0}]";
}

/// <summary>Register names and the check itself.</summary>
internal static class X
{
    public static readonly Reg[] Regs = Enum.GetValues<Reg>();
    public static readonly Xmm[] Xmms = Enum.GetValues<Xmm>();
    public static readonly Width[] Widths = Enum.GetValues<Width>();
    public static readonly Cond[] Conds = Enum.GetValues<Cond>();

    /// <summary>Iced's name of a general-purpose register at a width; without REX, byte registers 4-7 would be ah..bh, so they are spl..dil.</summary>
    public static Register Gpr(Reg r, Width w) => w switch
    {
        Width.W8 => r < Reg.Rsp ? Register.AL + (int)r : r < Reg.R8 ? Register.SPL + ((int)r - 4) : Register.R8L + ((int)r - 8),
        Width.W16 => Register.AX + (int)r,
        Width.W32 => Register.EAX + (int)r,
        _ => Register.RAX + (int)r,
    };

    public static R G(Reg r, Width w) => new(Gpr(r, w));
    public static R V(Xmm x) => new(Register.XMM0 + (int)x);

    /// <summary>An immediate of an operand of width w: Iced extends it to the operand size (64-bit operands sign-extend).</summary>
    public static ulong Extended(long value, Width w) => w switch
    {
        Width.W8 => (byte)value,
        Width.W16 => (ushort)value,
        Width.W32 => (uint)value,
        _ => (ulong)value,
    };

    public static bool FitsInt8(long v) => v is >= sbyte.MinValue and <= sbyte.MaxValue;

    public static Mnemonic Named(string name) => Enum.Parse<Mnemonic>(name, ignoreCase: true);

    public static Mnemonic Setcc(Cond c) => Named("Set" + c);
    public static Mnemonic Cmovcc(Cond c) => Named("Cmov" + c);
    public static Mnemonic Jcc(Cond c) => Named("J" + c);
}

/// <summary>Collects the mismatches of many cases; the test asserts there are none and shows the first few.</summary>
internal sealed class Checker
{
    readonly List<string> failures = [];
    public int Cases { get; private set; }

    /// <summary>Emits one instruction into a fresh assembler and checks it is exactly the expected one.</summary>
    public void One(string what, Action<Assembler> emit, Mnemonic mnemonic, params Op[] ops) => One(what, null, emit, mnemonic, ops);

    /// <summary>As <see cref="One(string, Action{Assembler}, Mnemonic, Op[])"/>, and exactly <paramref name="length"/> bytes long when given.</summary>
    public void One(string what, int? length, Action<Assembler> emit, Mnemonic mnemonic, params Op[] ops)
    {
        var a = new Assembler(64);
        try { emit(a); }
        catch (Exception e) { Fail(what, $"threw {e.GetType().Name}: {e.Message}"); return; }
        Verify(what, a.Code.ToArray(), 0, a.Position, mnemonic, ops, length);
    }

    /// <summary>
    /// Emits an instruction with a memory operand of form mc, between padding and the two labels a RIP-relative
    /// form refers to; ops makes the expected operands from the expected memory operand.
    /// </summary>
    public void Mem(string what, MemCase mc, int size, Action<Assembler, Mem> emit, Mnemonic mnemonic, Func<M, Op[]> ops, bool locked = false)
    {
        var a = new Assembler(128);
        Label back = a.NewLabel(), forward = a.NewLabel();
        for (int i = 0; i < 8; i++) a.Int3();
        a.Bind(back);
        for (int i = 0; i < 8; i++) a.Int3();
        int start = a.Position;
        try { emit(a, mc.Build(back, forward)); }
        catch (Exception e) { Fail($"{what} {mc}", $"threw {e.GetType().Name}: {e.Message}"); return; }
        int end = a.Position;
        for (int i = 0; i < 32; i++) a.Int3();
        a.Bind(forward);
        Verify($"{what} {mc}", a.ToArray(), start, end, mnemonic, ops(mc.Expect(back.Offset, forward.Offset, size)), locked: locked);
    }

    /// <summary>Expects emit to throw an ArgumentException (or a subclass) and to leave nothing emitted.</summary>
    public void Throws(string what, Action<Assembler> emit)
    {
        Cases++;
        var a = new Assembler(64);
        try
        {
            emit(a);
            Fail(what, "did not throw");
        }
        catch (ArgumentException)
        {
            if (a.Position != 0) Fail(what, $"threw after emitting {a.Position} bytes");
        }
        catch (Exception e) { Fail(what, $"threw {e.GetType().Name}, not an ArgumentException"); }
    }

    /// <summary>
    /// The instruction decoded at start: valid, exactly end - start bytes long, no longer than Iced's own encoding of
    /// it (so no needless prefix), with the mnemonic and operands expected.
    /// </summary>
    public void Verify(string what, byte[] code, int start, int end, Mnemonic mnemonic, Op[] ops, int? length = null, bool locked = false)
    {
        Cases++;
        var reader = new ByteArrayCodeReader(code) { Position = start };
        var decoder = Decoder.Create(64, reader);
        decoder.IP = (ulong)start;
        decoder.Decode(out var ins);
        string bytes = Convert.ToHexString(code, start, Math.Max(0, end - start));
        if (ins.IsInvalid) { Fail(what, $"{bytes} does not decode"); return; }
        if (ins.Length != end - start) { Fail(what, $"{bytes} decodes as {ins} of {ins.Length} bytes"); return; }
        if (length is { } l && l != ins.Length) { Fail(what, $"{bytes} ({ins}) is {ins.Length} bytes, not {l}"); return; }
        if (ins.Mnemonic != mnemonic) { Fail(what, $"{bytes} decodes as {ins}, not {mnemonic}"); return; }
        if (ins.HasLockPrefix != locked) { Fail(what, $"{bytes} ({ins}) {(locked ? "lacks" : "has")} a lock prefix"); return; }
        if (ins.OpCount != ops.Length) { Fail(what, $"{bytes} ({ins}) has {ins.OpCount} operands, not {ops.Length}"); return; }
        for (int i = 0; i < ops.Length; i++)
        {
            string? wrong = Operand(ins, i, ops[i]);
            if (wrong is not null) { Fail(what, $"{bytes} ({ins}) operand {i}: {wrong}"); return; }
        }
        var encoder = Encoder.Create(64, NoWriter.Instance);
        if (encoder.TryEncode(ins, (ulong)start, out uint canonical, out _) && canonical < ins.Length)
            Fail(what, $"{bytes} ({ins}) is {ins.Length} bytes where {canonical} suffice");
    }

    static string? Operand(in Instruction ins, int i, Op expected)
    {
        var kind = ins.GetOpKind(i);
        switch (expected)
        {
            case R r:
                if (kind != OpKind.Register) return $"{kind}, not register {r.Reg}";
                return ins.GetOpRegister(i) == r.Reg ? null : $"{ins.GetOpRegister(i)}, not {r.Reg}";
            case M m:
                if (kind != OpKind.Memory) return $"{kind}, not memory";
                if (ins.MemoryBase != m.Base || ins.MemoryIndex != m.Index || ins.MemoryIndexScale != m.Scale || ins.MemoryDisplacement64 != m.Disp)
                    return $"[{ins.MemoryBase}+{ins.MemoryIndex}*{ins.MemoryIndexScale}+{ins.MemoryDisplacement64:x}], not [{m.Base}+{m.Index}*{m.Scale}+{m.Disp:x}]";
                if (m.DisplSize >= 0 && ins.MemoryDisplSize != m.DisplSize) return $"a {ins.MemoryDisplSize}-byte displacement, not {m.DisplSize}";
                if (m.Size >= 0 && ins.MemorySize.GetSize() != m.Size) return $"a {ins.MemorySize} access, not {m.Size} bytes";
                return null;
            case I imm:
                if (kind is not (OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64 or OpKind.Immediate8to16
                    or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64)) return $"{kind}, not an immediate";
                if (imm.Kind is { } k && kind != k) return $"{kind}, not {imm.Kind}";
                return ins.GetImmediate(i) == imm.Value ? null : $"immediate 0x{ins.GetImmediate(i):x}, not 0x{imm.Value:x}";
            case B b:
                if (kind != OpKind.NearBranch64) return $"{kind}, not a near branch";
                return ins.NearBranchTarget == b.Target ? null : $"target 0x{ins.NearBranchTarget:x}, not 0x{b.Target:x}";
            default:
                return "unknown expectation";
        }
    }

    void Fail(string what, string why)
    {
        if (failures.Count < 1000) failures.Add($"{what}: {why}");
    }

    public void AssertAll(int atLeast = 1)
    {
        Assert.That(failures, Is.Empty, () => string.Join("\n", failures.Take(25)) + (failures.Count > 25 ? $"\n... {failures.Count} failures" : ""));
        Assert.That(Cases, Is.GreaterThanOrEqualTo(atLeast), "too few cases ran");
    }
}

/// <summary>Iced's encoder only measures here: its bytes go nowhere.</summary>
internal sealed class NoWriter : CodeWriter
{
    public static readonly NoWriter Instance = new();
    public override void WriteByte(byte value) { }
}
