namespace Spec.Native.X64;

// A memory operand as the compiler names it: [base + index*scale + disp] or [rip + label + disp]. How it becomes
// ModRM, SIB and displacement bytes is decided in one place, Assembler.Encoding.cs.

/// <summary>
/// A memory operand: <c>[base + index*scale + disp]</c> (<see cref="At(Reg, int)"/>, <see cref="At(Reg, Reg, int, int)"/>)
/// or <c>[rip + label + disp]</c> (<see cref="Rip"/>). The default value is no operand: every instruction rejects it.
/// </summary>
public readonly struct Mem : IEquatable<Mem>
{
    internal enum Form : byte { None, Base, BaseIndex, Rip }

    internal readonly Label? Target;
    internal readonly int Disp;
    internal readonly Form Kind;
    internal readonly byte BaseReg;
    internal readonly byte IndexReg;
    internal readonly byte ScaleLog2;

    Mem(Form kind, byte @base, byte index, byte scaleLog2, int disp, Label? target)
    {
        Kind = kind;
        BaseReg = @base;
        IndexReg = index;
        ScaleLog2 = scaleLog2;
        Disp = disp;
        Target = target;
    }

    /// <summary><c>[base + disp]</c></summary>
    public static Mem At(Reg @base, int disp = 0) => new(Form.Base, CheckReg(@base, nameof(@base)), 0, 0, disp, null);

    /// <summary><c>[base + index*scale + disp]</c>; scale is 1, 2, 4 or 8, and the index cannot be Rsp (the SIB byte has no encoding for it).</summary>
    public static Mem At(Reg @base, Reg index, int scale, int disp = 0)
    {
        if (index == Reg.Rsp) throw new ArgumentException("rsp cannot be an index register", nameof(index));
        byte log2 = scale switch
        {
            1 => 0,
            2 => 1,
            4 => 2,
            8 => 3,
            _ => throw new ArgumentException($"scale {scale} is not 1, 2, 4 or 8", nameof(scale)),
        };
        return new(Form.BaseIndex, CheckReg(@base, nameof(@base)), CheckReg(index, nameof(index)), log2, disp, null);
    }

    /// <summary>
    /// <c>[rip + disp32]</c> addressing <paramref name="target"/> + <paramref name="disp"/>; the label may be bound later.
    /// |disp| is at most <see cref="MaxRipDisp"/>, so that with code under <see cref="Assembler.MaxCodeSize"/> the
    /// distance always fits the rel32.
    /// </summary>
    public static Mem Rip(Label target, int disp = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(Form.Rip, 0, 0, 0, CheckRipDisp(disp), target);
    }

    /// <summary>The largest displacement from a label that a RIP-relative operand may add: 1 GiB.</summary>
    public const int MaxRipDisp = 1 << 30;

    static int CheckRipDisp(int disp) =>
        disp is >= -MaxRipDisp and <= MaxRipDisp ? disp : throw new ArgumentOutOfRangeException(nameof(disp), disp, "beyond 1 GiB of a label");

    /// <summary>False for <c>default(Mem)</c>, which is not an operand.</summary>
    public bool IsValid => Kind != Form.None;
    public bool IsRipRelative => Kind == Form.Rip;
    public Reg? Base => Kind is Form.Base or Form.BaseIndex ? (Reg)BaseReg : null;
    public Reg? Index => Kind == Form.BaseIndex ? (Reg)IndexReg : null;
    /// <summary>1, 2, 4 or 8; 1 when there is no index.</summary>
    public int Scale => 1 << ScaleLog2;
    public int Displacement => Disp;
    public Label? RipTarget => Target;

    /// <summary>The same address moved by <paramref name="delta"/> bytes (e.g. the high half of a wider value).</summary>
    public Mem Offset(int delta) => Kind switch
    {
        Form.None => throw new InvalidOperationException("default(Mem) is not an operand"),
        Form.Rip => new(Kind, 0, 0, 0, CheckRipDisp(checked(Disp + delta)), Target),
        _ => new(Kind, BaseReg, IndexReg, ScaleLog2, checked(Disp + delta), Target),
    };

    static byte CheckReg(Reg r, string name) =>
        (uint)r <= 15 ? (byte)r : throw new ArgumentOutOfRangeException(name, r, "not a register");

    public bool Equals(Mem other) => Kind == other.Kind && BaseReg == other.BaseReg && IndexReg == other.IndexReg
        && ScaleLog2 == other.ScaleLog2 && Disp == other.Disp && ReferenceEquals(Target, other.Target);

    public override bool Equals(object? obj) => obj is Mem m && Equals(m);
    public override int GetHashCode() => HashCode.Combine(Kind, BaseReg, IndexReg, ScaleLog2, Disp, Target);
    public static bool operator ==(Mem a, Mem b) => a.Equals(b);
    public static bool operator !=(Mem a, Mem b) => !a.Equals(b);

    public override string ToString()
    {
        string disp = Disp == 0 ? "" : Disp < 0 ? $"-0x{-(long)Disp:x}" : $"+0x{Disp:x}";
        return Kind switch
        {
            Form.Base => $"[{Name((Reg)BaseReg)}{disp}]",
            Form.BaseIndex => $"[{Name((Reg)BaseReg)}+{Name((Reg)IndexReg)}*{Scale}{disp}]",
            Form.Rip => $"[rip+{Target}{disp}]",
            _ => "[none]",
        };
    }

    static string Name(Reg r) => r.ToString().ToLowerInvariant();
}
