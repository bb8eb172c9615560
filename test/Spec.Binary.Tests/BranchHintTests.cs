using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

public class BranchHintTests
{
    const string SectionName = "metadata.code.branch_hint";
    static readonly TypeDef VoidToVoid = new(new RecType([SubType.Plain(new FuncType([], []))]));

    // One import, then a body: (local i32) i32.const 1 if (i32.const 0 br_if 0) end, positions 0 const, 1 if, 2 const, 3 br_if.
    static Module Hinted(params FuncBranchHints[] hints) => Module.Empty with
    {
        Types = [VoidToVoid],
        Imports = [new Import("m", "f", new FuncExtern(new TypeIdx(0)))],
        Funcs = [new Func(0, [new Local(ValType.I32)], new Expr([Const.I32(1), new If(ValBlockType.Empty, [Const.I32(0), new BrIf(0)], [])]))],
        BranchHints = [.. hints],
    };

    static FuncBranchHints Hints(uint func, params (uint Instr, BranchHint Hint)[] hs) => new(func, [.. hs.Select(h => new InstrBranchHint(h.Instr, h.Hint))]);

    /// <summary>The content of the branch hint section in <paramref name="bytes"/> (after its name), or null.</summary>
    static byte[]? SectionContent(byte[] bytes)
    {
        var name = Encoding.UTF8.GetBytes(SectionName);
        var prefix = new byte[] { (byte)name.Length }.Concat(name).ToArray();
        int at = bytes.AsSpan().IndexOf(prefix);
        if (at < 0) return null;
        int size = bytes[at - 1];   // every section here is shorter than 128 bytes
        return bytes[(at + prefix.Length)..(at + size)];
    }

    [Test]
    public void Offsets_count_from_the_locals_declaration_of_the_body()
    {
        var bytes = BinaryFormat.Binary.Encode(Hinted(Hints(1, (1, BranchHint.Likely), (3, BranchHint.Unlikely))));
        // Body: 01 01 7f (locals) | 41 01 (i32.const 1) at 3 | 04 40 (if) at 5 | 41 00 at 7 | 0d 00 (br_if 0) at 9.
        Assert.That(SectionContent(bytes), Is.EqualTo(Hex.Bytes("01 01 02 05 01 01 09 01 00")));
        Assert.That(Convert.ToHexString(bytes), Does.Contain("0101" + "7F" + "4101" + "0440" + "4100" + "0D00"));
    }

    [Test]
    public void The_section_comes_right_before_the_code_section()
    {
        var bytes = BinaryFormat.Binary.Encode(Hinted(Hints(1, (1, BranchHint.Likely))));
        int section = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(SectionName));
        int codeId = section + SectionName.Length + SectionContent(bytes)!.Length;
        Assert.That(bytes[codeId], Is.EqualTo((byte)SectionId.Code));
        Assert.That(SectionContent(BinaryFormat.Binary.Encode(Hinted())), Is.Null);
    }

    [Test]
    public void Decoding_gives_the_hints_back_by_position()
    {
        var m = Hinted(Hints(1, (1, BranchHint.Likely), (3, BranchHint.Unlikely)));
        var back = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All);
        Assert.That(back.BranchHints, Is.EqualTo(m.BranchHints));
        Assert.That(back.Customs, Is.Empty);
        Assert.That(back, Is.EqualTo(m));
    }

    [Test]
    public void Every_instruction_of_every_body_can_carry_a_hint_through_encoding_and_decoding()
    {
        // Hints on every position, of generated bodies of every instruction kind and nesting, alternating in value.
        static Module HintEverything(Module m)
        {
            uint imported = (uint)m.ImportsOf(ExternKind.Func).Count();
            var funcs = m.Funcs.OrEmpty();
            return m with
            {
                BranchHints = [.. funcs.Select((f, i) => new FuncBranchHints(imported + (uint)i,
                    [.. InstrPositions.PreOrder(f.Body.Instrs).Select((_, k) => new InstrBranchHint((uint)k, (BranchHint)(k % 2)))]))
                    .Where(fh => fh.Hints.Length > 0)],
            };
        }
        var config = Config.QuickThrowOnFailure.WithMaxTest(200).WithEndSize(40);
        int hints = 0;
        Check.One(config, Prop.ForAll(ModuleGen.Module.ToArbitrary(), m =>
        {
            var hinted = HintEverything(m);
            hints += hinted.BranchHints.Sum(fh => fh.Hints.Length);
            return BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(hinted), Features.All).Equals(hinted);
        }));
        Assert.That(hints, Is.GreaterThan(100), "the generated bodies had instructions to hint");
    }

    [Test]
    public void The_disassemblers_trace_does_not_change_what_is_decoded()
    {
        var m = Hinted(Hints(1, (3, BranchHint.Likely)));
        var trace = new Spec.BinaryFormat.Decoder.Trace();
        var back = Spec.BinaryFormat.Decoder.DecodeModule(BinaryFormat.Binary.Encode(m), trace, Features.All);
        Assert.That(back.BranchHints, Is.EqualTo(m.BranchHints));
        Assert.That(trace.Bodies, Has.Count.EqualTo(1));
    }

    /// <summary>The module of <see cref="Hinted"/> with its hint section's content replaced by <paramref name="content"/>.</summary>
    static byte[] WithSection(string content)
    {
        var bytes = BinaryFormat.Binary.Encode(Hinted(Hints(1, (1, BranchHint.Likely))));
        var old = SectionContent(bytes)!;
        var name = Encoding.UTF8.GetBytes(SectionName);
        int start = bytes.AsSpan().IndexOf(name) - 3;   // the section id, its one-byte size and the name's length
        var replaced = Hex.Bytes(content);
        var section = new byte[] { 0, (byte)(1 + name.Length + replaced.Length), (byte)name.Length }.Concat(name).Concat(replaced);
        return [.. bytes[..start], .. section, .. bytes[(start + 2 + 1 + name.Length + old.Length)..]];
    }

    [TestCase("01 01 01 05 01 01", "valid")]
    [TestCase("01 01 01 05 01 02", "a hint other than 0 and 1")]
    [TestCase("01 01 01 05 02 01 00", "a size other than 1")]
    [TestCase("01 01 02 05 01 01 05 01 00", "a repeated offset")]
    [TestCase("01 01 01 06 01 01", "an offset inside an instruction")]
    [TestCase("01 01 01 63 01 01", "an offset past the body")]
    [TestCase("01 00 01 03 01 01", "an imported function")]
    [TestCase("01 02 01 03 01 01", "a function that does not exist")]
    [TestCase("02 01 00 01 00", "a repeated function")]
    [TestCase("01 01 01 05 01", "missing bytes")]
    [TestCase("01 01 01 05 01 01 00", "bytes left over")]
    public void A_section_that_cannot_be_read_as_hints_is_kept_as_it_is(string content, string what)
    {
        var m = BinaryFormat.Binary.Decode(WithSection(content), Features.All);
        if (what == "valid")
        {
            Assert.That(m.BranchHints, Is.EqualTo(new[] { Hints(1, (1, BranchHint.Likely)) }));
            return;
        }
        Assert.That(m.BranchHints, Is.Empty, what);
        Assert.That(m.Customs.Select(c => (c.Name, Convert.ToHexString(c.Content.AsSpan()))),
            Is.EqualTo(new[] { (SectionName, content.Replace(" ", "")) }), what);
        Assert.That(BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All), Is.EqualTo(m), what);
    }

    [Test]
    public void A_section_after_the_code_is_kept_as_it_is()
    {
        var m = Hinted() with { Customs = [new CustomSection(SectionName, [.. Hex.Bytes("01 01 01 05 01 01")], SectionId.Code)] };
        var back = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All);
        Assert.That(back.BranchHints, Is.Empty);
        Assert.That(back.Customs, Is.EqualTo(m.Customs));
    }

    [Test]
    public void Hints_the_binary_format_cannot_place_are_refused()
    {
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(Hinted(Hints(0, (0, BranchHint.Likely)))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(Hinted(Hints(1, (4, BranchHint.Likely)))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(Hinted(Hints(1, (1, BranchHint.Likely)), Hints(1, (3, BranchHint.Likely)))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(Hinted(Hints(1, (3, BranchHint.Likely), (3, BranchHint.Unlikely)))));
    }
}
