using System.Text.Json;
using NUnit.Framework;

namespace Spec.Wast.Tests;

/// <summary>The wast-run command end to end, over a small testsuite in a temporary folder and the real front end.</summary>
public class CommandLineTests
{
    string dir = "";

    [SetUp]
    public void CreateTestsuite()
    {
        dir = Path.Combine(Path.GetTempPath(), "wast-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "proposals", "p"));
        File.WriteAllText(Path.Combine(dir, "a.wast"),
            "(module (func (export \"f\") (result i32) (i32.const 1)))\n" +
            "(assert_return (invoke \"f\") (i32.const 1))\n" +
            "(assert_malformed (module quote \"(func (i32.const))\") \"unexpected token\")\n" +
            "(assert_invalid (module (func (result i32) (i32.const 0))) \"type mismatch\")\n");
        File.WriteAllText(Path.Combine(dir, "proposals", "p", "b.wast"), "(module binary \"\\00asm\\01\\00\\00\\00\")\n(module binary \"\\00asm\")\n");
        File.WriteAllText(Path.Combine(dir, "proposals", "p", "c.wast"), "(assert_return (invoke \"f\") (i32.const))\n");
    }

    [TearDown]
    public void DeleteTestsuite() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    [Test]
    public void All_runs_every_folder_writes_the_report_and_the_list_and_the_ratchet_holds()
    {
        string json = PathOf("r.json"), expected = PathOf("expected.txt");
        int exit = Program.Main(["--testsuite", dir, "--all", "-j", "2", "--json", json, "--update-expected", expected]);
        Assert.That(exit, Is.EqualTo(1), "there are failures and no list was given");

        var lines = File.ReadAllLines(expected).Where(l => !l.StartsWith('#'));
        Assert.That(lines, Is.EqualTo(new[] { "a.wast:4 assert_invalid", "proposals/p/b.wast:2 module", "proposals/p/c.wast:1 script" }));

        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        var files = doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString()).ToList();
        Assert.That(files, Is.EqualTo(new[] { "a.wast", "proposals/p/b.wast", "proposals/p/c.wast" }));
        var totals = doc.RootElement.GetProperty("totals");
        Assert.That((totals.GetProperty("passed").GetInt32(), totals.GetProperty("failed").GetInt32(), totals.GetProperty("skipped").GetInt32()),
            Is.EqualTo((4, 3, 0)), "the assert_return runs on the interpreter");

        Assert.That(Program.Main(["--testsuite", dir, "--all", "--expect-failures", expected]), Is.EqualTo(0));
        File.AppendAllText(expected, "a.wast:1 module\n");
        Assert.That(Program.Main(["--testsuite", dir, "--all", "--expect-failures", expected]), Is.EqualTo(1), "a listed entry passes");
    }

    [Test]
    public void Paths_are_looked_up_in_the_testsuite_and_folders_are_not_recursive()
    {
        Assert.That(Testsuite.Files("proposals/p", dir).Select(f => Testsuite.DisplayName(f, dir)), Is.EqualTo(new[] { "proposals/p/b.wast", "proposals/p/c.wast" }));
        Assert.That(Testsuite.Files(".", dir).Select(f => Path.GetFileName(f)), Does.Not.Contain("b.wast"));
        Assert.That(Testsuite.Files(PathOf("a.wast"), null), Has.Count.EqualTo(1));
        Assert.Throws<FileNotFoundException>(() => Testsuite.Files("missing.wast", dir));
        Assert.That(Program.Main(["--testsuite", dir, "missing.wast"]), Is.EqualTo(2));
        Assert.That(Program.Main(["--testsuite", dir, "a.wast", "proposals/p/b.wast", "--expect-failures", PathOf("none.txt")]), Is.EqualTo(2), "the list does not exist");
    }

    [Test]
    public void The_testsuite_option_comes_before_the_environment()
    {
        string? saved = Environment.GetEnvironmentVariable("WASM_TESTSUITE");
        try
        {
            Environment.SetEnvironmentVariable("WASM_TESTSUITE", PathOf("proposals"));
            Assert.That(Testsuite.Root(null), Is.EqualTo(PathOf("proposals")));
            Assert.That(Testsuite.Root(dir), Is.EqualTo(dir));
        }
        finally
        {
            Environment.SetEnvironmentVariable("WASM_TESTSUITE", saved);
        }
    }
}
