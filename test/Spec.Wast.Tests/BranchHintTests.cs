using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;

namespace Spec.Wast.Tests;

/// <summary>Branch hints through the runner's *_custom assertions and through both formats.</summary>
public class BranchHintTests
{
    static int[] FailedLines(string script)
    {
        var r = new ScriptRunner(Pipeline.Frontend, new StoreEngine()).Run(WastParser.Parse("t.wast", script), "t.wast");
        return [.. r.Failures.Select(f => f.Line)];
    }

    const string Hinted = "(module (func (param i32) (local.get 0) (@metadata.code.branch_hint \"\\01\") (if (then))))";

    [Test]
    public void Malformed_custom_means_the_parser_rejects_the_annotation_with_that_message()
    {
        Assert.That(FailedLines("""
            (assert_malformed_custom (module quote "(func (@metadata.code.branch_hint \"\\01\") (@metadata.code.branch_hint \"\\01\") nop)")
              "@metadata.code.branch_hint annotation: duplicate annotation")
            (assert_malformed_custom (module quote "(@metadata.code.branch_hint \"\\01\") (func)")
              "@metadata.code.branch_hint annotation: duplicate annotation")
            (assert_malformed_custom (module (func (@metadata.code.branch_hint "\01") (nop)))
              "@metadata.code.branch_hint annotation: invalid target")
            (assert_malformed_custom (module quote "(func (@metadata.code.branch_hint \"\\01\") (if (i32.const 1) (then)) (i32.add))")
              "@metadata.code.branch_hint annotation: invalid target")
            """), Is.EqualTo(new[] { 3, 5, 7 }));
    }

    [Test]
    public void Invalid_custom_means_a_valid_module_whose_annotation_is_invalid()
    {
        Assert.That(FailedLines("""
            (assert_invalid_custom (module (func (@metadata.code.branch_hint "\01") (nop)))
              "@metadata.code.branch_hint annotation: invalid target")
            (assert_invalid_custom (module (func (@metadata.code.branch_hint "\01") (nop) (i32.add)))
              "@metadata.code.branch_hint annotation: invalid target")
            (assert_invalid_custom (module quote "(func (@metadata.code.branch_hint \"\\01\") (@metadata.code.branch_hint \"\\01\") nop)")
              "@metadata.code.branch_hint annotation: invalid target")
            (assert_invalid_custom (module (func (param i32) (local.get 0) (@metadata.code.branch_hint "\01") (if (then))))
              "@metadata.code.branch_hint annotation: invalid target")
            """), Is.EqualTo(new[] { 3, 5, 7 }));
    }

    [Test]
    public void Hints_go_from_text_to_binary_and_back_unchanged()
    {
        var text = Spec.TextFormat.Text.Parse(Hinted);
        Assert.That(text.BranchHints, Has.Length.EqualTo(1));
        var binary = BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(text), Features.All);
        Assert.That(binary, Is.EqualTo(text));
        Assert.That(Spec.TextFormat.Text.Parse(Spec.TextFormat.Text.Print(binary)), Is.EqualTo(text));
    }

    [Test]
    public void The_testsuite_module_round_trips_with_its_hints()
    {
        var root = Testsuite.Root(null) ?? throw new AssertionException("testsuite not found: set WASM_TESTSUITE");
        var script = WastParser.Parse("branch_hint.wast", File.ReadAllBytes(Path.Combine(root, "custom", "branch_hint.wast")));
        var source = ((TextModule)((ModuleCommand)script.Commands[0]).Module).Source;
        var m = Spec.TextFormat.Text.Parse(source);
        Assert.That(m.BranchHints.Select(h => (h.Func, h.Hints.Length)), Is.EqualTo(new[] { (1u, 1), (2u, 1), (3u, 3) }));
        Validator.ValidateCodeMetadata(m);
        Assert.That(BinaryFormat.Binary.Decode(BinaryFormat.Binary.Encode(m), Features.All), Is.EqualTo(m));
    }
}
