using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>
/// The custom descriptors proposal's text forms: (exact x) heap types, the (describes x) and (descriptor x) clauses,
/// exact function imports and the descriptor instructions, parsed, rejected and printed back.
/// </summary>
public class CustomDescriptorsTests
{
    private static Module P(string s) => Spec.TextFormat.Text.Parse(s);

    private static string Fails(string s) => Assert.Throws<ParseException>(() => P(s))!.Reason;

    private static readonly ExactHeap Exact0 = new(new TypeIdx(0));

    // ---- exact heap types ----

    [Test]
    public void Exact_heap_types_take_a_type_index_in_parentheses()
    {
        var m = P("(type $s (struct (field (ref (exact $s))) (field (ref null (exact 0)))))" +
                  "(global (ref null (exact $s)) (ref.null (exact $s)))");
        var fields = ((StructType)m.Types[0].Rec.Subs[0].Comp).Fields;
        Assert.That(fields[0].Type, Is.EqualTo(new RefType(false, Exact0)));
        Assert.That(fields[1].Type, Is.EqualTo(new RefType(true, Exact0)));
        Assert.That(m.Globals[0].Type.Type, Is.EqualTo(new RefType(true, Exact0)));
        Assert.That(m.Globals[0].Init.Instrs[0], Is.EqualTo(new RefNull(Exact0)));
    }

    [TestCase("(type (struct (field (ref (exact any)))))", "unexpected token")]
    [TestCase("(type (struct (field (ref (exact func)))))", "unexpected token")]
    [TestCase("(type (struct (field (ref (exact)))))", "unexpected token")]
    [TestCase("(type (struct (field (ref exact 0))))", "unexpected token")]
    [TestCase("(type (struct (field (exact 0))))", "unexpected token")]
    [TestCase("(type (struct (field (ref (exact 0 0)))))", "unexpected token")]
    [TestCase("(type (struct (field (ref (exact $nope)))))", "unknown type")]
    public void Malformed_exact_heap_types(string text, string reason) => Assert.That(Fails(text), Is.EqualTo(reason));

    // ---- describes and descriptor clauses ----

    [Test]
    public void Clauses_come_before_the_composite_type_with_or_without_sub()
    {
        var m = P("(rec (type $a (descriptor $b) (struct)) (type $b (describes $a) (descriptor $c) (struct)) (type $c (describes $b) (struct)))" +
                  "(rec (type $d (sub (descriptor $e) (struct))) (type $e (sub final $b (describes $d) (struct (field i32)))))");
        var subs = m.Types.SelectMany(t => t.Rec.Subs).ToArray();
        Assert.That(subs[0], Is.EqualTo(new SubType(true, [], new StructType([]), null, new TypeIdx(1))));
        Assert.That(subs[1], Is.EqualTo(new SubType(true, [], new StructType([]), new TypeIdx(0), new TypeIdx(2))));
        Assert.That(subs[2], Is.EqualTo(new SubType(true, [], new StructType([]), new TypeIdx(1), null)));
        Assert.That(subs[3], Is.EqualTo(new SubType(false, [], new StructType([]), null, new TypeIdx(4))));
        Assert.That(subs[4], Is.EqualTo(new SubType(true, [new TypeIdx(1)], new StructType([new FieldType(Mut.Const, ValType.I32)]), new TypeIdx(3), null)));
    }

    [TestCase("(rec (type $a (descriptor $b) (struct)) (type $b (descriptor $c) (describes $a) (struct)) (type $c (describes $b) (struct)))")]
    [TestCase("(rec (type $a (descriptor $b) (descriptor $b) (struct)) (type $b (describes $a) (struct)))")]
    [TestCase("(rec (type $a (descriptor $b) (struct)) (type $b (describes $a) (describes $a) (struct)))")]
    [TestCase("(rec (type $a (descriptor $b (struct))) (type $b (describes $a) (struct)))")]
    [TestCase("(rec (type $a (sub (struct) (descriptor $b))) (type $b (describes $a) (struct)))")]
    [TestCase("(rec (type $a (descriptor $b) (sub (struct))) (type $b (describes $a) (struct)))")]
    public void Repeated_misordered_or_nested_clauses_are_unexpected(string text) => Assert.That(Fails(text), Is.EqualTo("unexpected token"));

    // ---- exact function imports ----

    [Test]
    public void Exact_function_imports_in_both_forms_and_with_an_implicit_type()
    {
        var m = P("(type $f (func)) (import \"m\" \"a\" (func $a (exact (type $f)))) (func $b (import \"m\" \"b\") (exact (type 0)))" +
                  "(import \"m\" \"c\" (func (exact (param i32) (result i64)))) (import \"m\" \"d\" (func (type $f)))");
        Assert.That(m.Imports.Select(i => i.Type), Is.EqualTo(new ExternType[]
        {
            new FuncExtern(new TypeIdx(0), true), new FuncExtern(new TypeIdx(0), true),
            new FuncExtern(new TypeIdx(1), true), new FuncExtern(new TypeIdx(0), false),
        }));
        Assert.That(m.Types[1].Rec.Subs[0].Comp, Is.EqualTo(new FuncType([ValType.I32], [ValType.I64])));
        Assert.That(m.Names.Funcs.Select(n => n.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [TestCase("(type $f (func)) (import \"m\" \"a\" (func (exact (type $f)) (exact (type $f))))", "unexpected token")]
    [TestCase("(type $f (func)) (import \"m\" \"a\" (func (exact (type $f))))  (func (exact (type $f)))", "unexpected token")]
    [TestCase("(type $f (func)) (import \"m\" \"a\" (func (exact (type $f)))", "unexpected end of input")]
    public void Malformed_exact_imports(string text, string reason) => Assert.That(Fails(text), Is.EqualTo(reason));

    // ---- instructions ----

    [Test]
    public void The_descriptor_instructions_parse_with_their_immediates()
    {
        var m = P("(rec (type $a (descriptor $b) (struct)) (type $b (describes $a) (struct)))" +
                  "(func (param (ref null (exact $b))) (result anyref) (block $l (result anyref)" +
                  "  (struct.new_desc $a (local.get 0)) (struct.new_default_desc $a (local.get 0))" +
                  "  (ref.get_desc $a) (ref.cast_desc_eq (ref null (exact $a)) (local.get 0))" +
                  "  (br_on_cast_desc_eq $l anyref (ref $a) (local.get 0)) (br_on_cast_desc_eq_fail 0 (ref any) (ref null $a) (local.get 0))))");
        var body = ((Block)m.Funcs[0].Body.Instrs[0]).Body;
        Assert.That(body.Where(i => i is not LocalGet), Is.EqualTo(new Instr[]
        {
            new StructNewDesc(0), new StructNewDefaultDesc(0), new RefGetDesc(0), new RefCastDescEq(new RefType(true, Exact0)),
            new BrOnCastDescEq(0, RefType.AnyRef, new RefType(false, new TypeIdx(0))),
            new BrOnCastDescEqFail(0, new RefType(false, HeapType.Any), new RefType(true, new TypeIdx(0))),
        }));
    }

    [TestCase("(func (struct.new_desc))", "unexpected token")]
    [TestCase("(func (ref.get_desc (exact 0)))", "unexpected token")]
    [TestCase("(func (ref.cast_desc_eq 0))", "unexpected token")]
    [TestCase("(func (br_on_cast_desc_eq 0 anyref))", "unexpected token")]
    [TestCase("(func (ref.cast_desc (ref any)))", "unknown operator ref.cast_desc")]
    public void Malformed_descriptor_instructions(string text, string reason) => Assert.That(Fails(text), Is.EqualTo(reason));

    // ---- the printer ----

    [Test]
    public void The_printer_writes_each_new_form_and_reads_it_back()
    {
        var m = P("(rec (type $a (sub (descriptor $b) (struct))) (type $b (describes $a) (struct (field (ref null (exact $a))))))" +
                  "(type $f (func)) (import \"m\" \"f\" (func $f (exact (type $f))))" +
                  "(func (param (ref (exact $b))) (block $l (result anyref) (struct.new_desc $a (local.get 0)) (ref.get_desc $a)" +
                  "  (ref.cast_desc_eq (ref (exact $a))) (br_on_cast_desc_eq $l anyref (ref $a) (local.get 0))" +
                  "  (br_on_cast_desc_eq_fail $l anyref (ref $a) (local.get 0)) (struct.new_default_desc $a) (ref.null (exact $a)) drop drop drop drop drop drop) drop)");
        var text = Spec.TextFormat.Text.Print(m);
        foreach (var form in new[]
        {
            "(type $a (sub (descriptor $b) (struct)))", "(type $b (describes $a) (struct (field (ref null (exact $a)))))",
            "(func $f (exact (type $f)))", "(param (ref (exact $b)))", "struct.new_desc $a", "struct.new_default_desc $a", "ref.get_desc $a",
            "ref.cast_desc_eq (ref (exact $a))", "br_on_cast_desc_eq 0 anyref (ref $a)", "br_on_cast_desc_eq_fail 0 anyref (ref $a)",
            "ref.null (exact $a)",
        })
            Assert.That(text, Does.Contain(form));
        Assert.That(P(text), Is.EqualTo(m));
    }

    // ---- the proposal's testsuite ----

    private static IEnumerable<string> ProposalFiles() =>
        Directory.GetFiles(Path.Combine(Testsuite.Directory, "proposals", "custom-descriptors"), "*.wast").Order();

    /// <summary>
    /// Every text module of the proposal's scripts that is not malformed parses (top-level, definitions, and those of
    /// assert_invalid, assert_trap, assert_unlinkable...), and goes through the binary format unchanged.
    /// </summary>
    [Test]
    public void Every_text_module_of_the_proposal_parses_and_survives_the_binary_format()
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var file in ProposalFiles())
            foreach (var cmd in Testsuite.Commands(file))
            {
                if (cmd.Keyword == "assert_malformed") continue;
                var modules = cmd.Keyword == "module" ? [cmd] : cmd.Children().Where(c => c.Tokens[c.Start + 1].Text == "module");
                foreach (var f in modules)
                {
                    var kind = Testsuite.ModuleKind(f);
                    if (kind == "definition" && IsBinaryDefinition(f)) continue;
                    try
                    {
                        Module m;
                        if (kind is "text" or "definition") m = Testsuite.ParseText(f);
                        else if (kind == "quote") m = Spec.TextFormat.Text.Parse(Testsuite.QuoteText(f));
                        else continue;
                        var again = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All);
                        if (!again.Equals(m)) failures.Add($"{f.File}:{f.Line}: text -> binary -> module changed the module");
                        else ok++;
                    }
                    catch (WasmException e) { failures.Add($"{f.File}:{f.Line}: {e.Message}"); }
                }
            }
        TestContext.Out.WriteLine($"custom-descriptors text modules parsed and round-tripped through binary: {ok}, failed: {failures.Count}");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
        Assert.That(ok, Is.GreaterThan(200), "the proposal's testsuite must be present");
    }

    /// <summary>The proposal's well-formed binary modules, decoded, printed and parsed back, give the same module.</summary>
    [Test]
    public void Every_binary_module_of_the_proposal_prints_as_text_that_parses_back()
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var file in ProposalFiles())
            foreach (var cmd in Testsuite.Commands(file))
            {
                if (cmd.Keyword == "assert_malformed") continue;
                var modules = cmd.Keyword == "module" ? [cmd] : cmd.Children().Where(c => c.Tokens[c.Start + 1].Text == "module");
                foreach (var f in modules)
                {
                    if (Testsuite.ModuleKind(f) is not ("binary" or "definition") || (Testsuite.ModuleKind(f) == "definition" && !IsBinaryDefinition(f))) continue;
                    var bytes = Enumerable.Range(f.Start, f.End - f.Start).Select(i => f.Tokens[i]).Where(t => t.Kind == TokenKind.String).SelectMany(t => t.Bytes!).ToArray();
                    try
                    {
                        var m = BinaryFormat.Binary.Decode(bytes, Features.All);
                        var text = Spec.TextFormat.Text.Print(m);
                        if (!P(text).Equals(m)) failures.Add($"{f.File}:{f.Line}: parse(print(decode)) differs\n{text}");
                        else ok++;
                    }
                    catch (WasmException e) { failures.Add($"{f.File}:{f.Line}: {e.Message}"); }
                }
            }
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(ok, Is.GreaterThanOrEqualTo(5));
    }

    // (module definition $id? binary ...): bytes, not text.
    private static bool IsBinaryDefinition(Testsuite.Form f)
    {
        int i = f.Start + 3;
        if (f.Tokens[i].Kind == TokenKind.Id) i++;
        return f.Tokens[i] is { Kind: TokenKind.Keyword, Text: "binary" };
    }

    [Test]
    public void Every_malformed_quote_of_the_proposal_is_rejected_with_its_message()
    {
        var (ok, failures) = Testsuite.MalformedQuotes(ProposalFiles());
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(ok, Is.GreaterThanOrEqualTo(16));
    }

    // ---- the generator ----

    private static IEnumerable<Instr> Flatten(IEnumerable<Instr> instrs) => instrs.SelectMany(i => i switch
    {
        Block b => Flatten(b.Body).Prepend(i),
        Loop l => Flatten(l.Body).Prepend(i),
        If f => Flatten(f.Then.Concat(f.Else)).Prepend(i),
        TryTable t => Flatten(t.Body).Prepend(i),
        LegacyTry t => Flatten(t.Body.Concat(t.Catches.SelectMany(c => c.Body)).Concat(t.CatchAll ?? [])).Prepend(i),
        LegacyTryDelegate t => Flatten(t.Body).Prepend(i),
        _ => [i],
    });

    [Test]
    public void The_generator_produces_every_new_form()
    {
        var sample = Enumerable.Range(0, 100).Select(seed => Generators.Build(seed, 30)).ToList();
        var instrs = sample.SelectMany(m => m.Funcs).SelectMany(f => Flatten(f.Body.Instrs)).ToList();
        Assert.That(instrs.OfType<StructNewDesc>().Any() && instrs.OfType<StructNewDefaultDesc>().Any() && instrs.OfType<RefGetDesc>().Any()
            && instrs.OfType<RefCastDescEq>().Any() && (instrs.OfType<BrOnCastDescEq>().Any() || instrs.OfType<BrOnCastDescEqFail>().Any()), "instructions");
        var subs = sample.SelectMany(m => m.Types).SelectMany(t => t.Rec.Subs).ToList();
        Assert.That(subs.Any(s => s.Describes is not null) && subs.Any(s => s.Descriptor is not null), "clauses");
        Assert.That(sample.SelectMany(m => m.Imports).Any(i => i.Type is FuncExtern { Exact: true }), "exact imports");
        Assert.That(subs.Select(s => s.Comp).OfType<StructType>().SelectMany(s => s.Fields).Any(f => f.Type is RefType { Heap: ExactHeap }), "exact heap types");
    }
}
