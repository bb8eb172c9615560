using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;

namespace Spec.Cli.Tests;

/// <summary>
/// Nesting of any depth up to a million, in every form the text format has, through every tool: the text parser and
/// printer, the binary encoder and decoder, wat2wasm and wasm2wat, validate, dump and trace. Each ends in success or,
/// for trace, at its documented step limit (status 135); none may crash.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class NestingPropertyTests
{
    const int MaxDepth = 1_000_000;
    const int TraceLimit = 1_000;

    /// <summary>One level of nesting in the text format, and the instructions it is in the enclosing sequence.</summary>
    sealed record Form(string Open, string Close, Func<ImmutableArray<Instr>, Instr[]> Wrap);

    static readonly Form[] Forms =
    [
        new("(block ", ")", b => [new Block(ValBlockType.Empty, b)]),
        new("block ", " end ", b => [new Block(ValBlockType.Empty, b)]),
        new("(loop ", ")", b => [new Loop(ValBlockType.Empty, b)]),
        new("(if (i32.const 1) (then ", "))", b => [Const.I32(1), new If(ValBlockType.Empty, b, [])]),
        new("i32.const 0 if nop else ", " end ", b => [Const.I32(0), new If(ValBlockType.Empty, [Nop.I], b)]),
        new("(block (try_table (catch_all 0) ", "))", b => [new Block(ValBlockType.Empty, [new TryTable(ValBlockType.Empty, [new CatchAll(0)], b)])]),
        new("try ", " catch 0 nop catch_all end ", b => [new LegacyTry(ValBlockType.Empty, b, [new LegacyCatch(0, [Nop.I])], [])]),
        new("(try (do ", ") (delegate 0))", b => [new LegacyTryDelegate(ValBlockType.Empty, b, 0)]),
        new("(drop (block (result i32) ", " i32.const 7))", b => [new Block(new ValBlockType(ValType.I32), [.. b, Const.I32(7)]), Drop.I]),
    ];

    /// <summary>A module whose exported function nests <paramref name="depth"/> levels, the forms drawn from <paramref name="seed"/>:
    /// its text, and the body the text must parse to.</summary>
    static (string Text, ImmutableArray<Instr> Body) Nested(int depth, int seed)
    {
        var random = new Random(seed);
        var forms = new Form[depth];
        for (int d = 0; d < depth; d++) forms[d] = Forms[random.Next(Forms.Length)];
        var text = new StringBuilder("(module (tag) (func (export \"f\") ");
        foreach (var f in forms) text.Append(f.Open);
        text.Append("nop");
        for (int d = depth - 1; d >= 0; d--) text.Append(forms[d].Close);
        text.Append("))");
        ImmutableArray<Instr> body = [Nop.I];
        for (int d = depth - 1; d >= 0; d--) body = [.. forms[d].Wrap(body)];
        return (text.ToString(), body);
    }

    /// <summary>Depths spread over every order of magnitude up to <see cref="MaxDepth"/>.</summary>
    static readonly Gen<(int Depth, int Seed)> Depths =
        from exponent in Gen.Choose(0, 600)
        from seed in Gen.Choose(0, int.MaxValue)
        select ((int)Math.Round(Math.Pow(10, exponent / 100.0)), seed);

    [Test]
    public void Random_depths_go_through_every_tool()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(8);
        Check.One(config, Prop.ForAll(Depths.ToArbitrary(), x => { ThroughEveryTool(x.Depth, x.Seed); return true; }));
    }

    [Test]
    public void The_deepest_goes_through_every_tool() => ThroughEveryTool(MaxDepth, 10);

    /// <summary>Counts what is written to it, keeps nothing.</summary>
    sealed class CountingWriter : TextWriter
    {
        public long Written;
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => Written++;
        public override void Write(ReadOnlySpan<char> buffer) => Written += buffer.Length;
        public override void Write(string? value) => Written += value?.Length ?? 0;
    }

    static void ThroughEveryTool(int depth, int seed)
    {
        var (text, body) = Nested(depth, seed);
        var context = $"depth {depth}, seed {seed}";

        // The text parser, folded and plain forms mixed; the validator.
        var module = Text.Parse(text);
        Assert.That(module.Funcs.Single().Body.Instrs, Is.EqualTo(body), context);
        Validator.Validate(module, Features.All);

        // Both formats, both directions, in memory.
        var bytes = Binary.Encode(module);
        Assert.That(Binary.Decode(bytes, Features.All), Is.EqualTo(module), context);
        Assert.That(Text.Parse(Text.Print(module)), Is.EqualTo(module), context);

        var dir = Directory.CreateTempSubdirectory("nesting-");
        try
        {
            string wat = Path.Combine(dir.FullName, "m.wat"), wasm = Path.Combine(dir.FullName, "m.wasm");
            string printed = Path.Combine(dir.FullName, "printed.wat"), again = Path.Combine(dir.FullName, "again.wasm");
            File.WriteAllText(wat, text);

            // The commands, as they run from the command line.
            Assert.That(ConvertCommands.Wat2Wasm([wat, "-o", wasm]), Is.Zero, context);
            Assert.That(File.ReadAllBytes(wasm), Is.EqualTo(bytes), context);
            Assert.That(ConvertCommands.Wasm2Wat([wasm, "-o", printed]), Is.Zero, context);
            Assert.That(ConvertCommands.Wat2Wasm([printed, "-o", again]), Is.Zero, context);
            Assert.That(File.ReadAllBytes(again), Is.EqualTo(bytes), context);
            Assert.That(ValidateCommand.Run(["--features", "all", wasm], TextWriter.Null, TextWriter.Null), Is.Zero, context);

            var dumped = new CountingWriter();
            Assert.That(DumpCommand.Run([wasm], dumped), Is.Zero, context);
            Assert.That(dumped.Written, Is.LessThan(1_000 + 120L * bytes.Length), "dump is linear in the module: " + context);

            // Small depths run to their end; deep ones stop at the step limit, the documented limit error.
            var status = TraceCommand.Run([wasm, "--invoke", "f", "--limit", TraceLimit.ToString(), "--features", "all"], TextWriter.Null, TextWriter.Null);
            Assert.That(status, Is.EqualTo(0).Or.EqualTo(135), context);
            if (depth > TraceLimit) Assert.That(status, Is.EqualTo(135), context);
        }
        finally { dir.Delete(recursive: true); }
    }
}
