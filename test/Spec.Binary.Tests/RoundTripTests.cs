using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

public class RoundTripTests
{
    static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(40);

    [Test]
    public void Decoding_an_encoded_module_gives_it_back()
    {
        Check.One(Config, Prop.ForAll(ModuleGen.Module.ToArbitrary(), m =>
        {
            var bytes = BinaryFormat.Binary.Encode(m);
            var back = BinaryFormat.Binary.Decode(bytes, Features.All);
            return back.Equals(m);
        }));
    }

    [Test]
    public void Encoding_is_deterministic_and_a_fixed_point()
    {
        Check.One(Config, Prop.ForAll(ModuleGen.Module.ToArbitrary(), m =>
        {
            var bytes = BinaryFormat.Binary.Encode(m);
            return bytes.AsSpan().SequenceEqual(BinaryFormat.Binary.Encode(BinaryFormat.Binary.Decode(bytes, Features.All)));
        }));
    }

    [Test]
    public void Wide_arithmetic_encodes_as_fc_19_to_22_and_decodes_back()
    {
        var type = new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]));
        Instr[] body = [new WideArith(WideOp.Add128), new WideArith(WideOp.Sub128), new WideArith(WideOp.MulWideS), new WideArith(WideOp.MulWideU)];
        var m = Module.Empty with { Types = [type], Funcs = [new Func(0, [], new Expr([.. body]))] };
        var bytes = BinaryFormat.Binary.Encode(m);
        var code = Hex.Bytes("fc13 fc14 fc15 fc16 0b");
        Assert.That(bytes.AsSpan().IndexOf(code), Is.GreaterThan(0), "the opcodes in order, then end");
        Assert.That(BinaryFormat.Binary.Decode(bytes, Features.All), Is.EqualTo(m));
    }

    [Test]
    public void Atomics_encode_after_0xfe_and_a_shared_memory_sets_limits_bit_1()
    {
        var type = new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]));
        Instr[] body =
        [
            new Atomic(NumType.I32, null, AtomicOp.Load, 0, new MemArg(2, 0)),
            new Atomic(NumType.I64, Sz.S32, AtomicOp.Cmpxchg, 0, new MemArg(2, 8)),
            new MemoryAtomicNotify(0, new MemArg(2, 0)),
            new MemoryAtomicWait(NumType.I64, 0, new MemArg(3, 0)),
            AtomicFence.I,
        ];
        var mem = new Mem(new MemType(AddrType.I32, new Limits(1, 2), Shared: true));
        var m = Module.Empty with { Types = [type], Mems = [mem], Funcs = [new Func(0, [], new Expr([.. body]))] };
        var bytes = BinaryFormat.Binary.Encode(m);
        Assert.That(bytes.AsSpan().IndexOf(Hex.Bytes("05 04 01 03 01 02")), Is.GreaterThan(0), "memory section: flags 3 = shared with a maximum");
        Assert.That(bytes.AsSpan().IndexOf(Hex.Bytes("fe10 02 00 fe4e 02 08 fe00 02 00 fe02 03 00 fe03 00 0b")), Is.GreaterThan(0), "the opcodes in order, then end");
        Assert.That(BinaryFormat.Binary.Decode(bytes, Features.All), Is.EqualTo(m));
    }

    [Test]
    public void Tables_cannot_be_shared()
    {
        var m = Module.Empty with { Tables = [new Table(new TableType(AddrType.I32, new Limits(1, 2), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]))] };
        var bytes = BinaryFormat.Binary.Encode(m);
        int at = bytes.AsSpan().IndexOf(Hex.Bytes("04 05 01 70 01 01 02"));
        Assert.That(at, Is.GreaterThan(0));
        bytes[at + 4] = 3;
        Assert.That(Assert.Throws<DecodeException>(() => BinaryFormat.Binary.Decode(bytes, Features.All))!.Reason, Is.EqualTo("malformed limits flags"));
    }

    [Test]
    public void The_generator_covers_nesting_simd_gc_and_every_segment_form()
    {
        var sample = ModuleGen.Module.Sample(30, 40);
        var instrs = sample.SelectMany(m => m.Funcs).SelectMany(f => Flatten(f.Body.Instrs)).ToList();
        Assert.That(instrs.OfType<Block>().Any() && instrs.OfType<If>().Any() && instrs.OfType<TryTable>().Any(), "blocks");
        Assert.That(instrs.OfType<VBinop>().Any() || instrs.OfType<VRelop>().Any(), "simd");
        Assert.That(instrs.Any(i => i is StructGet or ArrayGet or StructNew or ArrayNew or RefCast or BrOnCast), "gc");
        var elems = sample.SelectMany(m => m.Elems).ToList();
        Assert.That(elems.Select(e => e.Mode.GetType()).Distinct().Count(), Is.EqualTo(3));
        Assert.That(sample.Any(m => m.Customs.Length > 0) && sample.Any(m => !m.Names.IsEmpty));
    }

    static IEnumerable<Instr> Flatten(IEnumerable<Instr> instrs)
    {
        foreach (var i in instrs)
        {
            yield return i;
            var inner = i switch
            {
                Block b => b.Body.AsEnumerable(),
                Loop l => l.Body,
                If f => f.Then.Concat(f.Else),
                TryTable t => t.Body,
                LegacyTry t => t.Body.Concat(t.Catches.SelectMany(c => c.Body)).Concat(t.CatchAll ?? []),
                LegacyTryDelegate t => t.Body,
                _ => [],
            };
            foreach (var j in Flatten(inner)) yield return j;
        }
    }
}
