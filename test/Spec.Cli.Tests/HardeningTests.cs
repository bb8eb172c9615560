using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Cli.Tests;

/// <summary>
/// The faults of the hardening issue, each as the user met it: the command run as its own process, and its clean
/// outcome asserted (status, message, output size, peak resident memory). Memory bounds are linear in the input with a
/// constant for the runtime itself; nothing here measures time.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class HardeningTests
{
    readonly List<string> files = [];

    string Temp(string extension, string? text = null)
    {
        var path = Path.ChangeExtension(Path.GetTempFileName(), extension);
        files.Add(path);
        if (text is not null) File.WriteAllText(path, text);
        return path;
    }

    string Temp(string extension, byte[] bytes)
    {
        var path = Temp(extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [TearDown]
    public void Delete()
    {
        foreach (var f in files) File.Delete(f);
        files.Clear();
    }

    /// <summary>What a .NET process needs for itself, before any input: the constant of the memory bounds.</summary>
    const long RuntimeBytes = 100L << 20;

    static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    /// <summary>A module whose one function holds <paramref name="depth"/> blocks nested in one another.</summary>
    static byte[] NestedBlocks(int depth)
    {
        Instr body = Nop.I;
        for (int i = 0; i < depth; i++) body = new Block(ValBlockType.Empty, [body]);
        return Binary.Encode(Module.Empty with
        {
            Types = [new TypeDef(new RecType([SubType.Plain(new FuncType([], []))]))],
            Funcs = [new Func(0, [], new Expr([body]))],
        });
    }

    // Row 1: wat2wasm on blocks, folded ifs or try_tables nested 3,500 deep overflowed the stack in the encoder.
    [TestCase("(block ", ")")]
    [TestCase("(if (i32.const 1) (then ", "))")]
    [TestCase("(try_table (catch_all 0) ", ")")]
    public void Wat2wasm_encodes_deep_nesting(string open, string close)
    {
        const int depth = 3_500;
        var source = $"(module (func {Repeat(open, depth)}nop{Repeat(close, depth)}))";
        var wat = Temp(".wat", source);
        var wasm = Temp(".wasm");
        using var ran = Processes.Wasmspec("wat2wasm", wat, "-o", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(Binary.Decode(File.ReadAllBytes(wasm)), Is.EqualTo(Text.Parse(source)));
    }

    // Row 14: a valid 100,000-deep module went through wasm2wat but not back: the text parser stopped at ~16,500.
    [Test]
    public void A_module_nested_100_000_deep_round_trips_through_both_formats()
    {
        var original = NestedBlocks(100_000);
        var wasm = Temp(".wasm", original);
        var wat = Temp(".wat");
        var back = Temp(".wasm");
        using (var ran = Processes.Wasmspec("wasm2wat", wasm, "-o", wat))
            Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        using (var ran = Processes.Wasmspec("wat2wasm", wat, "-o", back))
            Assert.That((ran.Status, ran.Stderr), Is.EqualTo((0, "")), ran.ToString());
        Assert.That(File.ReadAllBytes(back), Is.EqualTo(original));
    }

    // Row 4: dump of a 30 KB module of nested blocks built 200 MB of output in memory (843 MB resident).
    [Test]
    public void Dump_output_and_memory_are_linear_in_the_module()
    {
        var module = NestedBlocks(10_000);
        Assert.That(module.Length, Is.InRange(29_000, 31_000));
        var wasm = Temp(".wasm", module);
        using var ran = Processes.Wasmspec("dump", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(ran.StdoutLength, Is.LessThan(100L * module.Length), "at most 100 bytes of text per byte of code");
        Assert.That(File.ReadLines(ran.StdoutPath).Count(l => l.EndsWith("| " + new string(' ', 64) + "block")), Is.GreaterThan(9_900),
            "indentation stops growing at 32 levels");
        Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + 2L * ran.StdoutLength), ran.ToString());
    }

    // Row 11: wasm2wat on a module with a 32 MB custom section took 1.28 GB.
    [Test]
    public void Wasm2wat_streams_a_large_custom_section()
    {
        const int size = 32 << 20;
        var bytes = Binary.Encode(Module.Empty with { Customs = [new CustomSection("big", [.. new byte[size]], SectionId.Custom)] });
        var wasm = Temp(".wasm", bytes);
        using var ran = Processes.Wasmspec("wasm2wat", wasm);
        Assert.That((ran.Status, ran.Crashed), Is.EqualTo((0, false)), ran.ToString());
        Assert.That(ran.StdoutLength, Is.EqualTo("(module\n  (@custom \"big\" (before first) \"".Length + 3L * size + "\")\n)\n".Length));
        Assert.That(ran.PeakRssBytes, Is.LessThan(RuntimeBytes + 4L * size), ran.ToString());
    }
}
