using FsCheck;
using FsCheck.Fluent;
using Iced.Intel;
using NUnit.Framework;
using Spec.Native.X64;
using static Spec.Native.Tests.X;

namespace Spec.Native.Tests;

// Jumps and calls, labels and their fixups, and the buffer itself.

public class ControlEncodingTests
{
    static Instruction DecodeAt(byte[] code, int at)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code) { Position = at });
        decoder.IP = (ulong)at;
        decoder.Decode(out var ins);
        return ins;
    }

    [Test]
    public void Indirect_jumps_and_calls_through_every_register_and_memory_form()
    {
        var c = new Checker();
        foreach (var r in Regs)
        {
            c.One($"jmp {r}", 2 + (r >= Reg.R8 ? 1 : 0), a => a.Jmp(r), Mnemonic.Jmp, G(r, Width.W64));
            c.One($"call {r}", 2 + (r >= Reg.R8 ? 1 : 0), a => a.Call(r), Mnemonic.Call, G(r, Width.W64));
        }
        foreach (var mc in MemCase.All)
        {
            c.Mem("jmp", mc, 8, (a, m) => a.Jmp(m), Mnemonic.Jmp, m => [m]);
            c.Mem("call", mc, 8, (a, m) => a.Call(m), Mnemonic.Call, m => [m]);
        }
        c.AssertAll(32 + 2 * MemCase.All.Length);
    }

    // The layout of one branch test: `gap` bytes between a label bound first and a branch back to it.
    static (byte[] Code, int At) Backward(int gap, Action<Assembler, Label> branch)
    {
        var a = new Assembler();
        for (int i = 0; i < 5; i++) a.Nop();
        var target = a.NewLabel();
        a.Bind(target);
        for (int i = 0; i < gap; i++) a.Nop();
        int at = a.Position;
        branch(a, target);
        return (a.ToArray(), at);
    }

    [Test]
    public void Backward_branches_take_rel8_exactly_while_it_reaches()
    {
        // From a two-byte branch gap bytes after the label, rel8 = -(gap + 2), which reaches down to -128.
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Elements(Conds).ToArbitrary(), (gap, cc) =>
        {
            bool near = gap + 2 <= 128;
            var (jmp, at) = Backward(gap, (a, l) => a.Jmp(l));
            var j = DecodeAt(jmp, at);
            var (jcc, at2) = Backward(gap, (a, l) => a.Jcc(cc, l));
            var k = DecodeAt(jcc, at2);
            var (call, at3) = Backward(gap, (a, l) => a.Call(l));
            var x = DecodeAt(call, at3);
            return j.Mnemonic == Mnemonic.Jmp && j.NearBranchTarget == 5 && j.Length == (near ? 2 : 5) && at + j.Length == jmp.Length
                && k.Mnemonic == Jcc(cc) && k.NearBranchTarget == 5 && k.Length == (near ? 2 : 6) && at2 + k.Length == jcc.Length
                && x.Mnemonic == Mnemonic.Call && x.NearBranchTarget == 5 && x.Length == 5;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
        // The boundary itself, explicitly.
        Assert.That(DecodeAt(Backward(126, (a, l) => a.Jmp(l)).Code, 131).Length, Is.EqualTo(2));
        Assert.That(DecodeAt(Backward(127, (a, l) => a.Jmp(l)).Code, 132).Length, Is.EqualTo(5));
    }

    [Test]
    public void Forward_branches_take_rel32_and_land_on_the_label_wherever_it_is_bound()
    {
        foreach (int gap in new[] { 0, 1, 100, 127, 128, 5000, 70000 })
        {
            var a = new Assembler(16);
            var target = a.NewLabel();
            var starts = new List<(int At, Mnemonic M, int Length)>();
            void Note(Mnemonic m, int length, Action emit) { int at = a.Position; emit(); starts.Add((at, m, length)); }
            Note(Mnemonic.Jmp, 5, () => a.Jmp(target));
            foreach (var cc in Conds) Note(Jcc(cc), 6, () => a.Jcc(cc, target));
            Note(Mnemonic.Call, 5, () => a.Call(target));
            Note(Mnemonic.Lea, 7, () => a.Lea(Width.W64, Reg.R11, Mem.Rip(target)));
            Assert.That(a.UnresolvedFixups, Is.EqualTo(1 + 16 + 1 + 1));
            Assert.Throws<InvalidOperationException>(() => a.ToArray());
            for (int i = 0; i < gap; i++) a.Int3();
            int bound = a.Position;
            a.Bind(target);
            Assert.That(a.UnresolvedFixups, Is.Zero);
            a.Ret();
            var code = a.ToArray();
            foreach (var (at, m, length) in starts)
            {
                var ins = DecodeAt(code, at);
                Assert.That((ins.Mnemonic, ins.Length), Is.EqualTo((m, length)), $"gap {gap} at {at}");
                ulong landed = m == Mnemonic.Lea ? ins.MemoryDisplacement64 : ins.NearBranchTarget;
                Assert.That(landed, Is.EqualTo((ulong)bound), $"gap {gap}: {ins}");
            }
        }
    }

    [Test]
    public void Branches_to_a_label_bound_far_behind_take_rel32()
    {
        var a = new Assembler();
        var top = a.NewLabel();
        a.Bind(top);
        for (int i = 0; i < 100_000; i++) a.Nop();
        int j = a.Position;
        a.Jmp(top);
        int k = a.Position;
        a.Jcc(Cond.NE, top);
        var code = a.ToArray();
        Assert.That((DecodeAt(code, j).Length, DecodeAt(code, j).NearBranchTarget), Is.EqualTo((5, 0UL)));
        Assert.That((DecodeAt(code, k).Length, DecodeAt(code, k).NearBranchTarget), Is.EqualTo((6, 0UL)));
    }

    [Test]
    public void A_label_binds_once_belongs_to_its_assembler_and_has_no_offset_until_bound()
    {
        var a = new Assembler();
        var l = a.NewLabel();
        Assert.That(l.IsBound, Is.False);
        Assert.Throws<InvalidOperationException>(() => _ = l.Offset);
        a.Nop();
        a.Bind(l);
        Assert.That((l.IsBound, l.Offset), Is.EqualTo((true, 1)));
        Assert.Throws<InvalidOperationException>(() => a.Bind(l));
        Assert.That(l.Offset, Is.EqualTo(1));

        var other = new Assembler();
        var c = new Checker();
        c.Throws("jmp to another assembler's label", b => b.Jmp(other.NewLabel()));
        c.Throws("jcc to another assembler's label", b => b.Jcc(Cond.E, other.NewLabel()));
        c.Throws("call to another assembler's label", b => b.Call(other.NewLabel()));
        c.Throws("rip-relative to another assembler's label", b => b.Mov(Width.W64, Reg.Rax, Mem.Rip(other.NewLabel())));
        c.Throws("bind another assembler's label", b => b.Bind(other.NewLabel()));
        c.AssertAll(5);
    }

    [Test]
    public void A_label_bound_outside_the_code_is_reached_at_that_distance_before_or_after_it()
    {
        // What joining separately assembled parts relies on: a call into a part placed 4096 bytes after this one's
        // start, a jump into one placed before it, both made before and after the label is bound.
        var a = new Assembler();
        var after = a.NewLabel();
        var before = a.NewLabel();
        a.Call(after);
        a.Jmp(before);
        int lea = a.Position;
        a.Lea(Width.W64, Reg.Rcx, Mem.Rip(after));
        a.BindOutside(after, 4096);
        a.BindOutside(before, -64);
        int call = a.Position;
        a.Call(after);
        int jmp = a.Position;
        a.Jmp(before);
        var code = a.ToArray();
        Assert.That(DecodeAt(code, 0).NearBranchTarget, Is.EqualTo(4096UL));
        Assert.That(DecodeAt(code, 5).NearBranchTarget, Is.EqualTo(unchecked((ulong)-64L)));
        Assert.That(DecodeAt(code, lea).IPRelativeMemoryAddress, Is.EqualTo(4096UL));
        Assert.That(DecodeAt(code, call).NearBranchTarget, Is.EqualTo(4096UL));
        Assert.That(DecodeAt(code, jmp).NearBranchTarget, Is.EqualTo(unchecked((ulong)-64L)));
        Assert.That(a.UnresolvedFixups, Is.Zero);
        // A position inside the code is not outside it.
        Assert.Throws<ArgumentOutOfRangeException>(() => a.BindOutside(a.NewLabel(), 3));
    }

    [Test]
    public void Rip_relative_operands_measure_from_the_end_of_the_instruction_including_its_immediate()
    {
        // The immediate after the displacement moves the instruction's end: a forgotten one lands short of the target.
        var c = new Checker();
        foreach (var mc in MemCase.All.Where(m => m.Rip != MemCase.RipKind.None))
        {
            c.Mem("mov imm32", mc, 4, (a, m) => a.Mov(Width.W32, m, 0x12345678), Mnemonic.Mov, m => [m, new I(0x12345678)]);
            c.Mem("mov imm16", mc, 2, (a, m) => a.Mov(Width.W16, m, 0x1234), Mnemonic.Mov, m => [m, new I(0x1234)]);
            c.Mem("cmp imm8", mc, 8, (a, m) => a.Alu(AluOp.Cmp, Width.W64, m, 5), Mnemonic.Cmp, m => [m, new I(5)]);
            c.Mem("test imm32", mc, 8, (a, m) => a.Test(Width.W64, m, -2), Mnemonic.Test, m => [m, new I(unchecked((ulong)-2L))]);
            c.Mem("pshufd", mc, 16, (a, m) => a.SseImm(SseOp.Pshufd, Xmm.Xmm9, m, 0x1B), Mnemonic.Pshufd, m => [V(Xmm.Xmm9), m, new I(0x1B)]);
            c.Mem("pextrd", mc, 4, (a, m) => a.Pextr(Width.W32, m, Xmm.Xmm3, 2), Mnemonic.Pextrd, m => [m, V(Xmm.Xmm3), new I(2)]);
        }
        c.AssertAll(6 * 2 * MemCase.RipDisps.Length);
    }

    [Test]
    public void The_buffer_grows_from_any_capacity_and_keeps_every_byte()
    {
        var a = new Assembler(0);
        var l = a.NewLabel();
        a.Jmp(l);
        for (int i = 0; i < 10_000; i++) a.Emit8((byte)i);
        a.Emit32(unchecked((int)0xDEADBEEF));
        a.Emit64(0x0102030405060708);
        a.Bind(l);
        var code = a.ToArray();
        Assert.That(code.Length, Is.EqualTo(5 + 10_000 + 12));
        Assert.That(a.Position, Is.EqualTo(code.Length));
        Assert.That(code.Skip(5).Take(10_000), Is.EqualTo(Enumerable.Range(0, 10_000).Select(i => (byte)i)));
        Assert.That(code[^12..], Is.EqualTo(new byte[] { 0xEF, 0xBE, 0xAD, 0xDE, 8, 7, 6, 5, 4, 3, 2, 1 }));
        Assert.That(DecodeAt(code, 0).NearBranchTarget, Is.EqualTo((ulong)code.Length));
        Assert.That(a.Code.ToArray(), Is.EqualTo(code));
    }

    [Test]
    public void Align_pads_with_the_fill_byte_to_the_next_multiple_and_patch_overwrites_in_place()
    {
        var a = new Assembler();
        a.Align(16);
        Assert.That(a.Position, Is.Zero);
        a.Nop();
        a.Align(16);
        Assert.That(a.Position, Is.EqualTo(16));
        Assert.That(a.Code[1..].ToArray(), Is.All.EqualTo(0xCC));
        a.Emit8(1);
        a.Align(8, 0x90);
        Assert.That(a.Position, Is.EqualTo(24));
        Assert.That(a.Code[17..].ToArray(), Is.All.EqualTo(0x90));
        a.Align(1);
        Assert.That(a.Position, Is.EqualTo(24));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Align(0));

        a.PatchInt32(20, -2);
        Assert.That(a.Code[20..24].ToArray(), Is.EqualTo(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF }));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.PatchInt32(21, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.PatchInt32(-1, 0));
    }
}
