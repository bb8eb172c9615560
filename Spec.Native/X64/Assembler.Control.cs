namespace Spec.Native.X64;

// Jumps and calls: to labels (rel8 when a bound label is near, else rel32) and indirect through a register or memory.

public sealed partial class Assembler
{
    /// <summary><c>jmp label</c></summary>
    public void Jmp(Label target) => Branch(0xEB, Op(0xE9), target);

    /// <summary><c>jcc label</c></summary>
    public void Jcc(Cond c, Label target) => Branch(0x70 + CondCode(c), Op0F(0x80 + CondCode(c)), target);

    /// <summary><c>call label</c> (always rel32: there is no short call).</summary>
    public void Call(Label target)
    {
        CheckOwn(target);
        EncodeO(Op(0xE8), 0);
        Rel32(target, 0, position + 4);
    }

    /// <summary><c>jmp r64</c></summary>
    public void Jmp(Reg target) => EncodeDigit(Op(0xFF), 4, (int)target);

    /// <summary><c>jmp qword [m]</c></summary>
    public void Jmp(Mem target) => EncodeDigit(Op(0xFF), 4, target, 0);

    /// <summary><c>call r64</c></summary>
    public void Call(Reg target) => EncodeDigit(Op(0xFF), 2, (int)target);

    /// <summary><c>call qword [m]</c></summary>
    public void Call(Mem target) => EncodeDigit(Op(0xFF), 2, target, 0);

    // A backward branch to a bound label within rel8 reach takes the two-byte form; anything else, including every
    // forward branch (its distance is not known yet), takes rel32.
    void Branch(int shortOpcode, Enc near, Label target)
    {
        CheckOwn(target);
        if (target.IsBound)
        {
            int rel8 = target.offset - (position + 2);
            if (IsInt8(rel8))
            {
                Ensure(2);
                Put8(shortOpcode);
                Put8(rel8);
                return;
            }
        }
        EncodeO(near, 0);
        Rel32(target, 0, position + 4);
    }
}
