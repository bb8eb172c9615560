using System.Text;
using NUnit.Framework;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Wast.Tests;

/// <summary>
/// Every well-formed module of the root testsuite goes through both formats unchanged:
/// text → module → binary → module and module → text → module are the identity (names included),
/// and a binary module decodes, encodes and decodes to the same module.
/// </summary>
public class RoundTripTests
{
    static readonly string? Root = Testsuite.Root(null);

    static IEnumerable<TestCaseData> Files() =>
        Root is null
            ? [new TestCaseData("(testsuite not found)").SetName("Testsuite_is_found")]
            : Testsuite.Files(Root, Root).Select(f => new TestCaseData(Testsuite.DisplayName(f, Root)).SetName($"Round trip {Testsuite.DisplayName(f, Root)}"));

    /// <summary>The modules a script means to be well-formed: all but those of assert_malformed.</summary>
    static IEnumerable<ModuleSource> WellFormed(Script s) => s.Commands.SelectMany(c => c switch
    {
        ModuleCommand m => [m.Module],
        AssertTrap { Module: { } m } => [m],
        AssertModule a when !a.Keyword.StartsWith("assert_malformed", StringComparison.Ordinal) => [a.Module],
        _ => Array.Empty<ModuleSource>(),
    });

    [TestCaseSource(nameof(Files))]
    public void Modules_survive_both_formats(string file)
    {
        Assert.That(Root, Is.Not.Null, "set WASM_TESTSUITE or clone the testsuite into test/testsuite");
        var script = WastParser.Parse(file, File.ReadAllBytes(Path.Combine(Root!, file)));
        var failures = new List<string>();
        int checkedModules = 0;
        foreach (var source in WellFormed(script))
        {
            var m = source switch
            {
                TextModule t => Text.Parse(Encoding.UTF8.GetBytes(t.Source)),
                QuoteModule q => Text.Parse(q.Source.ToArray()),
                BinaryModule b => Binary.Decode(b.Bytes.AsSpan()),
                _ => throw new InvalidOperationException(source.GetType().Name),
            };
            checkedModules++;
            if (!Binary.Decode(Binary.Encode(m)).Equals(m)) failures.Add($"line {source.Line}: binary round trip differs");
            if (!Text.Parse(Text.Print(m)).Equals(m)) failures.Add($"line {source.Line}: text round trip differs");
        }
        Assert.That(failures, Is.Empty);
        Assert.That(checkedModules, Is.GreaterThanOrEqualTo(script.Commands.Count(c => c is ModuleCommand)));
    }
}
