using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;

namespace Spec.Binary.Tests;

/// <summary>
/// The custom descriptors proposal's binary forms: 0x62 exact heap types, the 0x4C describes and 0x4D descriptor
/// clauses, 0x20 exact function imports and the 0xFB 32-38 instructions, decoded, re-encoded and rejected.
/// </summary>
public class CustomDescriptorsTests
{
    const string H = "0061736d 01000000 ";

    static Module Decode(string hex) => BinaryFormat.Binary.Decode(Hex.Bytes(hex), Features.All);

    static string Reason(string hex) => Assert.Throws<DecodeException>(() => Decode(hex))!.Reason;

    static int Len(string hex) => hex.Replace(" ", "").Length / 2;

    static string Sec(int id, string hex) => $"{id:x2}{Len(hex):x2}{hex.Replace(" ", "")}";

    /// <summary>A module whose only type is a struct with one immutable field of the given storage type.</summary>
    static string StructField(string storage) => H + Sec(1, "01 5f 01 " + storage + " 00");

    /// <summary>A module with a type section (types), one function of type <paramref name="funcType"/> and the given body.</summary>
    static string Function(string types, string body, int funcType = 0) =>
        H + Sec(1, types) + Sec(3, $"01 {funcType:x2}") + Sec(10, $"01 {Len(body) + 1:x2} 00 {body}");

    // ---- exact heap types ----

    [TestCase("64 62 00", false)]
    [TestCase("63 62 00", true)]
    public void An_exact_prefix_after_ref_or_ref_null_makes_the_heap_type_exact(string storage, bool nullable)
    {
        var field = ((StructType)Decode(StructField(storage)).Types[0].Rec.Subs[0].Comp).Fields[0];
        Assert.That(field.Type, Is.EqualTo(new RefType(nullable, new ExactHeap(new TypeIdx(0)))));
    }

    [TestCase("62 00")]        // exact without ref or ref null
    [TestCase("64 62 62 00")]  // the prefix repeated
    [TestCase("64 62 6e")]     // exact any: only a type index may follow
    public void A_misplaced_exact_prefix_is_a_malformed_storage_type(string storage)
    {
        Assert.That(Reason(StructField(storage)), Is.EqualTo("malformed storage type"));
    }

    [Test]
    public void Exact_heap_types_elsewhere_than_fields_report_the_heap_type()
    {
        // ref.null with an exact abstract heap type
        Assert.That(Reason(Function("01 60 00 00", "d0 62 6e 1a 0b")), Is.EqualTo("malformed heap type"));
        // a local whose type is the bare prefix: no value type begins with 0x62
        Assert.That(Reason(H + Sec(1, "01 60 00 00") + Sec(3, "01 00") + Sec(10, "01 05 01 01 62 00 0b")), Is.EqualTo("malformed value type"));
    }

    [Test]
    public void The_exact_index_is_an_s33_so_indices_from_64_take_two_bytes()
    {
        var m = new Module([new TypeDef(new RecType([SubType.Plain(new StructType([new FieldType(Mut.Const, new RefType(false, new ExactHeap(new TypeIdx(64))))]))]))],
            [], [], [], [], [], [], [], [], null, []);
        var bytes = BinaryFormat.Binary.Encode(m);
        Assert.That(Convert.ToHexString(bytes), Does.Contain("6462C000"));
        Assert.That(BinaryFormat.Binary.Decode(bytes, Features.All), Is.EqualTo(m));
    }

    [Test]
    public void Ref_null_of_an_exact_type_round_trips()
    {
        var m = Decode(Function("01 60 00 00", "d0 62 00 1a 0b"));
        Assert.That(m.Funcs[0].Body.Instrs[0], Is.EqualTo(new RefNull(new ExactHeap(new TypeIdx(0)))));
        Assert.That(BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All), Is.EqualTo(m));
    }

    // ---- describes and descriptor clauses ----

    [Test]
    public void A_descriptor_pair_decodes_into_the_subtypes_clauses()
    {
        var m = Decode(H + Sec(1, "01 4e 02 4d 01 5f 00 4c 00 5f 00"));
        var subs = m.Types[0].Rec.Subs;
        Assert.That(subs[0], Is.EqualTo(new SubType(true, [], new StructType([]), null, new TypeIdx(1))));
        Assert.That(subs[1], Is.EqualTo(new SubType(true, [], new StructType([]), new TypeIdx(0), null)));
    }

    [TestCase("01 4e 02 4d 01 5f 00 4c 00 5f 00")]                      // no sub prefix: the abbreviation
    [TestCase("01 4e 02 50 00 4d 01 5f 00 50 01 00 4c 00 5f 00")]       // sub with and without supertypes
    [TestCase("01 4e 03 4d 01 5f 00 4c 00 4d 02 5f 00 4c 01 5f 00")]    // a chain: the middle type has both, describes first
    [TestCase("01 4f 01 00 4c 05 4d 07 5e 7f 01")]                      // sub final: clauses on an array (validation rejects them)
    public void Clauses_reencode_to_the_same_bytes(string types)
    {
        var bytes = Hex.Bytes(H + Sec(1, types));
        Assert.That(BinaryFormat.Binary.Encode(BinaryFormat.Binary.Decode(bytes, Features.All)), Is.EqualTo(bytes));
    }

    [TestCase("01 4e 02 4d 01 4d 01 5f 00 4c 00 5f 00", "descriptor repeated")]
    [TestCase("01 4e 02 4d 01 5f 00 4c 00 4c 00 5f 00", "describes repeated")]
    [TestCase("01 4e 02 4d 01 5f 00 4d 02 4c 00 5f 00", "descriptor before describes")]
    [TestCase("01 50 00 4d 01 50 00 5f 00", "sub inside the clauses")]
    public void Repeated_or_misordered_clauses_are_a_malformed_definition_type(string types, string why)
    {
        Assert.That(Reason(H + Sec(1, types)), Is.EqualTo("malformed definition type"), why);
    }

    [Test]
    public void The_encoder_writes_describes_before_descriptor()
    {
        var st = new SubType(false, [new TypeIdx(3)], new StructType([]), new TypeIdx(1), new TypeIdx(2));
        var bytes = BinaryFormat.Binary.Encode(new Module([new TypeDef(new RecType([st]))], [], [], [], [], [], [], [], [], null, []));
        Assert.That(Convert.ToHexString(bytes), Does.Contain("500103" + "4C01" + "4D02" + "5F00"));
    }

    // ---- exact function imports ----

    [Test]
    public void Import_kind_0x20_is_an_exact_function_import_and_encodes_back()
    {
        var hex = H + Sec(1, "01 60 00 00") + Sec(2, "01 00 00 20 00");
        var m = Decode(hex);
        Assert.That(m.Imports[0].Type, Is.EqualTo(new FuncExtern(new TypeIdx(0), Exact: true)));
        Assert.That(BinaryFormat.Binary.Encode(m), Is.EqualTo(Hex.Bytes(hex)));
        var inexact = m with { Imports = [new Import("", "", new FuncExtern(new TypeIdx(0)))] };
        Assert.That(BinaryFormat.Binary.Encode(inexact), Is.EqualTo(Hex.Bytes(H + Sec(1, "01 60 00 00") + Sec(2, "01 00 00 00 00"))));
    }

    [Test]
    public void Kind_0x20_is_no_export_kind()
    {
        var hex = H + Sec(1, "01 60 00 00") + Sec(3, "01 00") + Sec(7, "01 00 20 00") + Sec(10, "01 02 00 0b");
        Assert.That(Reason(hex), Is.EqualTo("malformed export kind"));
    }

    // ---- instructions ----

    static readonly string Types = "02 4e 02 4d 01 5f 00 4c 00 5f 00 60 00 00";

    [TestCase("fb 20 00", "StructNewDesc")]
    [TestCase("fb 21 00", "StructNewDefaultDesc")]
    [TestCase("fb 22 00", "RefGetDesc")]
    [TestCase("fb 23 00", "RefCastDescEq (ref 0)")]
    [TestCase("fb 24 00", "RefCastDescEq (ref null 0)")]
    [TestCase("fb 23 62 00", "RefCastDescEq (ref (exact 0))")]
    [TestCase("fb 25 03 00 6e 62 00", "BrOnCastDescEq")]
    [TestCase("fb 26 01 00 6e 00", "BrOnCastDescEqFail")]
    public void Each_descriptor_instruction_decodes_and_reencodes_to_the_same_bytes(string instr, string what)
    {
        var bytes = Hex.Bytes(Function(Types, instr + " 0b", funcType: 2));
        var m = BinaryFormat.Binary.Decode(bytes, Features.All);
        Assert.That(m.Funcs[0].Body.Instrs, Has.Length.EqualTo(1), what);
        Assert.That(BinaryFormat.Binary.Encode(m), Is.EqualTo(bytes), what);
    }

    [Test]
    public void The_descriptor_instructions_decode_to_their_syntax()
    {
        Instr Only(string instr) => BinaryFormat.Binary.Decode(Hex.Bytes(Function(Types, instr + " 0b", funcType: 2)), Features.All).Funcs[0].Body.Instrs[0];
        var exact0 = new ExactHeap(new TypeIdx(0));
        Assert.That(Only("fb 20 00"), Is.EqualTo(new StructNewDesc(0)));
        Assert.That(Only("fb 21 00"), Is.EqualTo(new StructNewDefaultDesc(0)));
        Assert.That(Only("fb 22 01"), Is.EqualTo(new RefGetDesc(1)));
        Assert.That(Only("fb 23 00"), Is.EqualTo(new RefCastDescEq(new RefType(false, new TypeIdx(0)))));
        Assert.That(Only("fb 24 62 00"), Is.EqualTo(new RefCastDescEq(new RefType(true, exact0))));
        Assert.That(Only("fb 25 02 00 6e 62 00"), Is.EqualTo(new BrOnCastDescEq(0, new RefType(false, HeapType.Any), new RefType(true, exact0))));
        Assert.That(Only("fb 26 01 00 6e 00"), Is.EqualTo(new BrOnCastDescEqFail(0, new RefType(true, HeapType.Any), new RefType(false, new TypeIdx(0)))));
    }

    [TestCase("fb 25 04 00 6e 00", "malformed cast flags")]
    [TestCase("fb 26 ff 00 6e 00", "malformed cast flags")]
    [TestCase("fb 27", "illegal opcode fb 39")]
    public void Bad_descriptor_instructions_are_malformed(string instr, string reason)
    {
        Assert.That(Reason(Function(Types, instr + " 0b", funcType: 2)), Is.EqualTo(reason));
    }

    // ---- the proposal's testsuite ----

    static readonly List<TestsuiteBinaries.Case> Cases = TestsuiteBinaries.In(Path.Combine("proposals", "custom-descriptors")).ToList();

    [Test]
    public void The_proposals_malformed_binaries_fail_with_their_message_and_the_others_round_trip()
    {
        var failures = new List<string>();
        int malformed = 0, roundTripped = 0;
        foreach (var c in Cases)
        {
            try
            {
                var m = BinaryFormat.Binary.Decode(c.Bytes, Features.All);
                if (c.Malformed is not null) { failures.Add($"{c}: decoded, expected \"{c.Malformed}\""); continue; }
                if (!BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All).Equals(m)) failures.Add($"{c}: re-encoding changed the module");
                else roundTripped++;
            }
            catch (DecodeException e)
            {
                if (c.Malformed is null) failures.Add($"{c}: {e.Message}");
                else if (!e.Reason.StartsWith(c.Malformed, StringComparison.Ordinal)) failures.Add($"{c}: \"{e.Reason}\", expected \"{c.Malformed}\"");
                else malformed++;
            }
        }
        TestContext.Out.WriteLine($"custom-descriptors binaries: {malformed} malformed as expected, {roundTripped} round-tripped");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(malformed, Is.GreaterThanOrEqualTo(8), "the proposal's testsuite must be present");
        Assert.That(roundTripped, Is.GreaterThanOrEqualTo(10));
    }

    // ---- the generator ----

    [Test]
    public void The_generator_produces_every_new_form()
    {
        // Draws large enough that a form of frequency 1/1000 is missing with odds below 1e-20.
        var sample = ModuleGen.Module.Sample(400, 30);
        var instrs = ModuleGen.Simple.Sample(50_000, 10).ToList();
        Assert.That(instrs, Has.Count.EqualTo(50_000));
        Assert.That(instrs.OfType<StructNewDesc>().Any() && instrs.OfType<StructNewDefaultDesc>().Any() && instrs.OfType<RefGetDesc>().Any()
            && instrs.OfType<RefCastDescEq>().Any() && instrs.OfType<BrOnCastDescEq>().Any() && instrs.OfType<BrOnCastDescEqFail>().Any(), "instructions");
        var subs = sample.SelectMany(m => m.Types).SelectMany(t => t.Rec.Subs).ToList();
        Assert.That(subs.Any(s => s.Describes is not null) && subs.Any(s => s.Descriptor is not null), "clauses");
        Assert.That(sample.SelectMany(m => m.Imports).Any(i => i.Type is FuncExtern { Exact: true }), "exact imports");
        Assert.That(instrs.Any(i => i is RefNull { Type: ExactHeap } or RefCast { Type.Heap: ExactHeap } or RefTest { Type.Heap: ExactHeap }), "exact heap types");
    }
}
