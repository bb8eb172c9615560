using System.Collections.Immutable;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>What particular byte sequences decode to (spectec 5.1-5.4), and which form the encoder picks.</summary>
public class DecoderTests
{
    const string H = "0061736d 01000000 ";

    static Module Decode(string hex) => BinaryFormat.Binary.Decode(Hex.Bytes(hex), Features.All);

    static Expr Code(string hex) =>
        Decode(H + "01 04 01 60 00 00 03 02 01 00 " + Sec(0x0a, "01" + Leb(Len(hex) + 1) + "00" + hex)).Funcs[0].Body;

    static int Len(string hex) => hex.Replace(" ", "").Length / 2;

    /// <summary>A section: id, size, contents.</summary>
    static string Sec(int id, string hex) => $"{id:x2}{Leb(Len(hex))}{hex.Replace(" ", "")}";

    static string Leb(int n)
    {
        var s = "";
        while (n >= 0x80) { s += $"{(n & 0x7f) | 0x80:x2}"; n >>= 7; }
        return s + $"{n:x2}";
    }

    [TestCase("00", 0u)]
    [TestCase("7f", 127u)]
    [TestCase("8001", 128u)]
    [TestCase("ffffffff0f", uint.MaxValue)]
    [TestCase("8080808000", 0u)]
    public void U32(string hex, uint value)
    {
        var d = new Decoder(Hex.Bytes(hex));
        Assert.That(d.U32(), Is.EqualTo(value));
        Assert.That(d.AtEnd);
    }

    [TestCase("7f", -1)]
    [TestCase("40", -64)]
    [TestCase("3f", 63)]
    [TestCase("c000", 64)]
    [TestCase("8080808078", int.MinValue)]
    [TestCase("ffffffff07", int.MaxValue)]
    [TestCase("ffffffff7f", -1)]
    public void S32(string hex, int value)
    {
        var d = new Decoder(Hex.Bytes(hex));
        Assert.That(d.S32(), Is.EqualTo(value));
    }

    [TestCase("ffffffff0f", 4294967295L)]
    [TestCase("8080808070", -4294967296L)]
    public void S33(string hex, long value) => Assert.That(new Decoder(Hex.Bytes(hex)).S33(), Is.EqualTo(value));

    [TestCase("ffffffffffffffffff00", long.MaxValue)]
    [TestCase("8080808080808080807f", long.MinValue)]
    public void S64(string hex, long value) => Assert.That(new Decoder(Hex.Bytes(hex)).S64(), Is.EqualTo(value));

    [TestCase("ffffffff1f", "integer too large")]
    [TestCase("808080808000", "integer representation too long")]
    public void U32_rejects(string hex, string message)
    {
        var e = Assert.Throws<DecodeException>(() => new Decoder(Hex.Bytes(hex)).U32())!;
        Assert.That(e.Reason, Is.EqualTo(message));
    }

    [Test]
    public void Memargs_with_bit_6_name_a_memory_and_offsets_are_u64()
    {
        var e = Code("41 00 28 42 03 ffffffffffffffffff01 1a 0b");
        Assert.That(e.Instrs[1], Is.EqualTo(new Load(NumType.I32, null, 3, new MemArg(2, ulong.MaxValue))));
    }

    [Test]
    public void Block_types_are_empty_a_value_type_or_a_type_index()
    {
        var e = Code("02 40 0b 02 7f 41 00 0b 02 64 6e 00 0b 02 05 0b 02 80 01 0b 1a 1a 1a 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new Block(ValBlockType.Empty, [])));
        Assert.That(e.Instrs[1], Is.EqualTo(new Block(new ValBlockType(ValType.I32), [Const.I32(0)])));
        Assert.That(((Block)e.Instrs[2]).Type, Is.EqualTo(new ValBlockType(new RefType(false, HeapType.Any))));
        Assert.That(((Block)e.Instrs[3]).Type, Is.EqualTo(new IdxBlockType(5)));
        Assert.That(((Block)e.Instrs[4]).Type, Is.EqualTo(new IdxBlockType(128)));
    }

    [Test]
    public void Typed_and_untyped_select()
    {
        var e = Code("1b 1c 02 7f 70 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new Select(null)));
        Assert.That(e.Instrs[1], Is.EqualTo(new Select([ValType.I32, RefType.FuncRef])));
    }

    [Test]
    public void Legacy_try_with_catches_and_delegate()
    {
        var e = Code("06 40 01 07 00 00 07 01 01 19 0f 0b 06 40 0f 18 00 09 00 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new LegacyTry(ValBlockType.Empty, [Nop.I],
            [new LegacyCatch(0, [Unreachable.I]), new LegacyCatch(1, [Nop.I])], ImmutableArray.Create<Instr>(Return.I))));
        Assert.That(e.Instrs[1], Is.EqualTo(new LegacyTryDelegate(ValBlockType.Empty, [Return.I], 0)));
        Assert.That(e.Instrs[2], Is.EqualTo(new LegacyRethrow(0)));
    }

    [Test]
    public void Try_table_catch_clauses()
    {
        var e = Code("1f 40 04 00 01 02 01 03 04 02 05 03 06 0a 0b 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new TryTable(ValBlockType.Empty,
            [new CatchTag(1, 2), new CatchTagRef(3, 4), new CatchAll(5), new CatchAllRef(6)], [ThrowRef.I])));
    }

    [Test]
    public void Gc_casts_carry_nullability_in_their_flags()
    {
        var e = Code("fb 18 03 00 6e 6c fb 19 00 01 6e 05 fb 14 6b fb 17 6a 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new BrOnCast(0, RefType.AnyRef, RefType.I31Ref)));
        Assert.That(e.Instrs[1], Is.EqualTo(new BrOnCastFail(1, new RefType(false, HeapType.Any), new RefType(false, new TypeIdx(5)))));
        Assert.That(e.Instrs[2], Is.EqualTo(new RefTest(new RefType(false, HeapType.Struct))));
        Assert.That(e.Instrs[3], Is.EqualTo(new RefCast(RefType.ArrayRef)));
    }

    [Test]
    public void Simd_lanes_shuffles_and_relaxed_opcodes()
    {
        var e = Code("fd 15 03 fd 1b 01 fd 22 00 fd 0d 000102030405060708090a0b0c0d0e0f fd 80 02 fd 93 02 fd 55 00 00 01 0b");
        Assert.That(e.Instrs[0], Is.EqualTo(new VExtractLane(Shape.I8x16, Sx.S, 3)));
        Assert.That(e.Instrs[1], Is.EqualTo(new VExtractLane(Shape.I32x4, null, 1)));
        Assert.That(e.Instrs[2], Is.EqualTo(new VReplaceLane(Shape.F64x2, 0)));
        Assert.That(e.Instrs[3], Is.EqualTo(new VShuffle(Shape.I8x16, [.. Enumerable.Range(0, 16).Select(i => (byte)i)])));
        Assert.That(e.Instrs[4], Is.EqualTo(new VSwizzlop(Shape.I8x16, VSwizzlOp.RelaxedSwizzle)));
        Assert.That(e.Instrs[5], Is.EqualTo(new VExtternop(Shape.I32x4, Shape.I8x16, VExtTernOp.RelaxedDotAddS)));
        Assert.That(e.Instrs[6], Is.EqualTo(new VLoadLane(VecType.V128, Sz.S16, 0, new MemArg(0, 0), 1)));
    }

    [Test]
    public void Limits_flags_give_the_address_type()
    {
        var m = Decode(H + Sec(5, "03 00 01 01 02 03 04 05"));
        Assert.That(m.Mems.Select(x => x.Type), Is.EqualTo(new[]
        {
            new MemType(AddrType.I32, new Limits(1, null)),
            new MemType(AddrType.I32, new Limits(2, 3)),
            new MemType(AddrType.I64, new Limits(5, null)),
        }));
        Assert.Throws<DecodeException>(() => Decode(H + Sec(5, "02 00 01 05 06")));
    }

    [Test]
    public void Tables_without_init_get_ref_null_of_their_heap_type()
    {
        var m = Decode(H + Sec(4, "02 64 70 00 01 40 00 6f 00 00 d0 6f 0b"));
        Assert.That(m.Tables[0], Is.EqualTo(new Table(new TableType(AddrType.I32, new Limits(1, null), new RefType(false, HeapType.Func)), new Expr([new RefNull(HeapType.Func)]))));
        Assert.That(m.Tables[1].Init, Is.EqualTo(new Expr([new RefNull(HeapType.Extern)])));
    }

    [Test]
    public void The_eight_element_segment_forms()
    {
        var funcRef = new RefType(false, HeapType.Func);
        var off = new Expr([Const.I32(0)]);
        var y = new Expr([new RefFunc(7)]);
        var m = Decode(H + Sec(9, "08"
            + "00 41 00 0b 01 07"
            + "01 00 01 07"
            + "02 02 41 00 0b 00 01 07"
            + "03 00 01 07"
            + "04 41 00 0b 01 d2 07 0b"
            + "05 6f 01 d0 6f 0b"
            + "06 02 41 00 0b 70 01 d2 07 0b"
            + "07 70 00"));
        Assert.That(m.Elems, Is.EqualTo(new[]
        {
            new Elem(funcRef, [y], new ElemActive(0, off)),
            new Elem(funcRef, [y], ElemPassive.I),
            new Elem(funcRef, [y], new ElemActive(2, off)),
            new Elem(funcRef, [y], ElemDeclare.I),
            new Elem(RefType.FuncRef, [y], new ElemActive(0, off)),
            new Elem(RefType.ExternRef, [new Expr([new RefNull(HeapType.Extern)])], ElemPassive.I),
            new Elem(RefType.FuncRef, [y], new ElemActive(2, off)),
            new Elem(RefType.FuncRef, [], ElemDeclare.I),
        }));
        // Each re-encodes to the form it came from.
        Assert.That(BinaryFormat.Binary.Encode(m), Is.EqualTo(Hex.Bytes(H + Sec(9, "08"
            + "00 41 00 0b 01 07 01 00 01 07 02 02 41 00 0b 00 01 07 03 00 01 07 04 41 00 0b 01 d2 07 0b"
            + "05 6f 01 d0 6f 0b 06 02 41 00 0b 70 01 d2 07 0b 07 70 00"))));
    }

    [Test]
    public void Data_segment_forms()
    {
        var m = Decode(H + Sec(11, "03 00 41 00 0b 01 61 01 00 02 01 41 00 0b 00"));
        Assert.That(m.Datas[0], Is.EqualTo(new Data([0x61], new DataActive(0, new Expr([Const.I32(0)])))));
        Assert.That(m.Datas[1], Is.EqualTo(new Data([], DataPassive.I)));
        Assert.That(m.Datas[2], Is.EqualTo(new Data([], new DataActive(1, new Expr([Const.I32(0)])))));
    }

    [Test]
    public void Rec_groups_and_subtypes()
    {
        var m = Decode(H + Sec(1, "02 4e 02 50 00 5f 01 7f 01 4f 01 00 5e 78 00 5f 00"));
        var rec = m.Types[0].Rec;
        Assert.That(rec.Subs[0], Is.EqualTo(new SubType(false, [], new StructType([new FieldType(Mut.Var, ValType.I32)]))));
        Assert.That(rec.Subs[1], Is.EqualTo(new SubType(true, [new TypeIdx(0)], new ArrayType(new FieldType(Mut.Const, new PackedType(PackType.I8))))));
        Assert.That(m.Types[1].Rec, Is.EqualTo(new RecType([SubType.Plain(new StructType([]))])));
    }

    [Test]
    public void Custom_sections_keep_their_place_and_the_name_section_fills_names()
    {
        var m = Decode(H + "00 03 01 61 00" + "01 04 01 60 00 00" + "00 04 01 62 01 02"
            + "00 1a 04 6e616d65 00 02 01 6d 01 04 01 00 01 66 02 09 01 00 02 00 01 78 01 01 79");
        Assert.That(m.Customs, Is.EqualTo(new[]
        {
            new CustomSection("a", [0x00], SectionId.Custom),
            new CustomSection("b", [0x01, 0x02], SectionId.Type),
        }));
        Assert.That(m.Names.Module, Is.EqualTo("m"));
        Assert.That(m.Names.Funcs, Is.EqualTo(new[] { new NameAssoc(0, "f") }));
        Assert.That(m.Names.Locals[0], Is.EqualTo(new IndirectNameAssoc(0, [new NameAssoc(0, "x"), new NameAssoc(1, "y")])));
    }

    [Test]
    public void A_malformed_name_section_is_ignored()
    {
        var m = Decode(H + "00 08 04 6e616d65 01 05 ff");
        Assert.That(m.Names.IsEmpty && m.Customs.IsEmpty);
    }

    [Test]
    public void Encoder_writes_shortest_lebs_and_abbreviated_ref_types()
    {
        var m = Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([RefType.FuncRef, new RefType(false, new TypeIdx(0))], [ValType.I64]))]))],
        };
        Assert.That(BinaryFormat.Binary.Encode(m), Is.EqualTo(Hex.Bytes(H + "01 08 01 60 02 70 64 00 01 7e")));
    }

    [Test]
    public void Encoder_emits_the_data_count_section_when_code_uses_data_indices()
    {
        var m = Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]))],
            Funcs = [new Func(0, [], new Expr([new DataDrop(0)]))],
        };
        var bytes = BinaryFormat.Binary.Encode(m);
        Assert.That(bytes.AsSpan().IndexOf(Hex.Bytes("0c 01 00")), Is.GreaterThan(0));
        Assert.That(BinaryFormat.Binary.Decode(bytes, Features.All), Is.EqualTo(m));
    }

    [Test]
    public void Only_the_functions_data_indices_require_a_data_count_section()
    {
        // A global initialised by array.new_data (invalid, but well-formed) needs no data count section.
        var m = Decode(H + Sec(6, "01 7f 00 fb 09 00 00 0b"));
        Assert.That(m.Globals[0].Init, Is.EqualTo(new Expr([new ArrayNewData(0, 0)])));
    }

    [Test]
    public void What_the_binary_format_cannot_express_is_an_argument_error()
    {
        static Module WithCode(Instr i) => Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]))],
            Funcs = [new Func(0, [], new Expr([i]))],
        };
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(WithCode(new RefNull(new RecIdx(0)))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(WithCode(new Load(NumType.I32, null, 0, new MemArg(64, 0)))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(WithCode(new VShuffle(Shape.I8x16, [1, 2]))));
        Assert.Throws<ArgumentException>(() => BinaryFormat.Binary.Encode(Module.Empty with { Mems = [new Mem(new MemType(AddrType.I32, new Limits(1, 2), PageSizeLog2: 0))] }));
    }

    [Test]
    public void Deep_nesting_does_not_exhaust_the_stack()
    {
        int depth = 200_000;
        var body = string.Concat(Enumerable.Repeat("02 40 ", depth)) + string.Concat(Enumerable.Repeat("0b ", depth + 1));
        var e = Code(body);
        int n = 0;
        for (Instr i = e.Instrs[0]; i is Block b && b.Body.Length > 0; i = b.Body[0]) n++;
        Assert.That(n, Is.EqualTo(depth - 1));
    }
}
