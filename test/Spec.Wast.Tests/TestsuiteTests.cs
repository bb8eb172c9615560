using NUnit.Framework;

namespace Spec.Wast.Tests;

/// <summary>The script parser over the official testsuite: every file of every folder --all runs must parse.</summary>
public class TestsuiteTests
{
    static readonly string? Root = Testsuite.Root(null);

    static IEnumerable<TestCaseData> Files() =>
        Root is null
            ? [new TestCaseData("(testsuite not found)").SetName("Testsuite_is_found")]
            : Testsuite.AllFolders(Root).SelectMany(dir => Testsuite.Files(dir, Root))
                .Select(f => new TestCaseData(Testsuite.DisplayName(f, Root)).SetName($"Parses {Testsuite.DisplayName(f, Root)}"));

    [TestCaseSource(nameof(Files))]
    public void Every_testsuite_file_parses_as_a_script(string file)
    {
        Assert.That(Root, Is.Not.Null, "set WASM_TESTSUITE or clone the testsuite into test/testsuite");
        var script = WastParser.Parse(file, File.ReadAllBytes(Path.Combine(Root!, file)));
        Assert.That(script.Commands, Is.Not.Empty);
    }

    [Test]
    public void All_covers_root_legacy_custom_and_every_proposal()
    {
        Assert.That(Root, Is.Not.Null, "set WASM_TESTSUITE or clone the testsuite into test/testsuite");
        var folders = Testsuite.AllFolders(Root!).Select(d => Testsuite.DisplayName(d, Root)).ToList();
        Assert.That(folders, Does.Contain("legacy").And.Contain("custom"));
        var proposals = Directory.GetDirectories(Path.Combine(Root!, "proposals")).Select(d => "proposals/" + Path.GetFileName(d));
        Assert.That(folders, Is.SupersetOf(proposals));
    }
}
