using NUnit.Framework;

namespace Spec.Cli.Tests;

/// <summary>wasmspec jit-dump: each function's machine code under the Wasm instruction it came from.</summary>
public class JitDumpTests
{
    string? file;

    [SetUp]
    public void Write()
    {
        file = Path.ChangeExtension(Path.GetTempFileName(), ".wat");
        File.WriteAllText(file, """
            (module
              (import "env" "log" (func $log (param i32)))
              (memory 1)
              (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func $peek (export "peek") (param i32) (result i32)
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 10)) (then (i32.load (local.get 0))) (else (i32.const -1)))))
            """);
    }

    [TearDown]
    public void Delete() => File.Delete(file!);

    static (int Status, string Output) Dump(params string[] args)
    {
        var output = new StringWriter();
        return (JitDumpCommand.Run(args, output), output.ToString());
    }

    [Test]
    public void Each_instruction_is_followed_by_its_machine_code()
    {
        var (status, text) = Dump(file!, "--func", "add");
        Assert.That(status, Is.Zero, text);
        var lines = text.Split('\n');
        Assert.That(lines[0], Does.Match(@"^func 1 ""add"" at 0x[0-9a-f]+ \(\d+ bytes\)$"));
        int add = Array.FindIndex(lines, l => l == "  ;; i32.add");
        Assert.That(add, Is.Positive, text);
        // Under the Wasm instruction, the x86 instructions that do it: offset, bytes, text.
        var code = lines.Skip(add + 1).TakeWhile(l => !l.StartsWith("  ;;", StringComparison.Ordinal)).ToList();
        Assert.That(code, Is.Not.Empty);
        Assert.That(code, Is.All.Match(@"^  [0-9a-f]{5}  [0-9a-f]+ +[a-z]"));
        Assert.That(code, Has.Some.Match(@" (add|lea) "));
        Assert.That(text, Does.Contain(";; prologue").And.Contain(";; local.get 0").And.Contain("ret"));
        Assert.That(text, Does.Not.Contain("\"peek\""), "only the function asked for");
    }

    [Test]
    public void Branches_and_bounds_checks_are_shown_where_they_are()
    {
        var (status, text) = Dump(file!, "--func", "2");
        Assert.That(status, Is.Zero, text);
        Assert.That(text, Does.Contain(";; i32.lt_u").And.Contain(";; if (result i32)").And.Contain(";; i32.load"));
        var afterLoad = text[text.IndexOf(";; i32.load", StringComparison.Ordinal)..];
        Assert.That(afterLoad, Does.Match(@"cmp [a-z0-9]+,\[r12\+8\]"), "the bounds check compares with memory 0's length");
        Assert.That(afterLoad, Does.Match(@"mov [a-z0-9]+,\[r13\+"), "then loads from memory 0's base");
    }

    [Test]
    public void All_functions_without_a_selection_and_an_error_for_an_unknown_one()
    {
        var (status, text) = Dump(file!);
        Assert.That(status, Is.Zero);
        Assert.That(text, Does.Contain("func 1 \"add\"").And.Contain("func 2 \"peek\""));
        Assert.That(Dump(file!, "--func", "nonesuch").Status, Is.EqualTo(1));
        Assert.That(Dump().Status, Is.EqualTo(2));
    }
}
