using System.Text.Json;
using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Wast.Tests;

public class ProgramTests
{
    [Test]
    public void Arguments_are_read_as_the_contract_says()
    {
        var o = Program.ParseArgs(["--engine", "jit", "--json", "r.json", "--expect-failures", "e.txt", "-j", "3", "--testsuite", "ts", "--all", "a.wast", "legacy"]);
        Assert.That(o, Is.EqualTo(new Program.Options("jit", "r.json", "e.txt", null, 3, "ts", true, o.Paths)));
        Assert.That(o.Paths, Is.EqualTo(new[] { "a.wast", "legacy" }));
        Assert.That(Program.ParseArgs(["-j4"]).Jobs, Is.EqualTo(4));
        Assert.That(Program.ParseArgs(["-v"]).Verbose, Is.True);
        Assert.That(o.Verbose, Is.False);
        Assert.That(Program.ParseArgs(["--update-expected", "x"]).UpdateExpected, Is.EqualTo("x"));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--engine", "fast"]));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["-j", "0"]));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--json"]));
        Assert.Throws<ArgumentException>(() => Program.ParseArgs(["--frobnicate"]));
    }

    [Test]
    public void A_file_that_is_not_a_script_is_one_failure_of_kind_script()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "(module)\n\n  (assert_return (invoke \"f\") (i32.const nan))\n");
            var r = Program.RunFile(path, "x.wast", "interp");
            Assert.That(r.Failures, Is.EqualTo(new[] { new Failure(3, "script", Phase.Parse, "3:42: unexpected token") }));
            Assert.That((r.Passed, r.Failed, r.Skipped), Is.EqualTo((0, 1, 0)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Json_report_has_the_contracted_shape()
    {
        var f = new FileResult("proposals/x/a.wast");
        f.Pass(1, "module");
        f.Skip("assert_return");
        f.Fail(7, "assert_malformed", Phase.Decode, "module accepted");
        using var stream = new MemoryStream();
        JsonReport.Write(stream, "interp", [f]);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("engine").GetString(), Is.EqualTo("interp"));
        var file = root.GetProperty("files")[0];
        Assert.That(file.GetProperty("file").GetString(), Is.EqualTo("proposals/x/a.wast"));
        Assert.That((file.GetProperty("passed").GetInt32(), file.GetProperty("failed").GetInt32(), file.GetProperty("skipped").GetInt32()), Is.EqualTo((1, 1, 1)));
        Assert.That(file.GetProperty("kinds").GetProperty("assert_return").GetProperty("skipped").GetInt32(), Is.EqualTo(1));
        var failure = file.GetProperty("failures")[0];
        Assert.That(failure.GetProperty("line").GetInt32(), Is.EqualTo(7));
        Assert.That(failure.GetProperty("kind").GetString(), Is.EqualTo("assert_malformed"));
        Assert.That(failure.GetProperty("phase").GetString(), Is.EqualTo("decode"));
        Assert.That(failure.GetProperty("message").GetString(), Is.EqualTo("module accepted"));
        Assert.That(root.GetProperty("totals").GetProperty("failed").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Expected_failures_round_trip_sorted_by_file_and_line()
    {
        var a = new FileResult("b.wast");
        a.Fail(100, "module", Phase.Parse, "x");
        a.Fail(20, "assert_return", Phase.Execute, "y");
        var b = new FileResult("a.wast");
        b.Fail(5, "script", Phase.Parse, "z");
        string path = Path.GetTempFileName();
        try
        {
            ExpectedFailures.Write(path, [a, b]);
            var lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).ToArray();
            Assert.That(lines, Is.EqualTo(new[] { "a.wast:5 script", "b.wast:20 assert_return", "b.wast:100 module" }));
            Assert.That(ExpectedFailures.Read(path), Is.EquivalentTo(lines));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Comparison_reports_unlisted_failures_and_listed_entries_that_pass()
    {
        var f = new FileResult("a.wast");
        f.Fail(1, "module", Phase.Parse, "bad");
        f.Fail(2, "assert_return", Phase.Execute, "wrong");
        f.Pass(3, "assert_trap");
        f.Pass(1, "module");
        f.Skip("assert_return");
        var expected = new HashSet<string> { "a.wast:1 module", "a.wast:3 assert_trap", "a.wast:9 assert_return", "other.wast:1 module" };
        var (unexpected, nowPassing) = ExpectedFailures.Compare(expected, [f]);
        Assert.That(unexpected, Is.EqualTo(new[] { "a.wast:2 assert_return  wrong" }));
        Assert.That(nowPassing, Is.EqualTo(new[] { "a.wast:3 assert_trap" }));
    }

    [Test]
    public void Expected_failure_lines_allow_comments_and_spacing()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# header\n\n  proposals/threads/atomic.wast:12   module  # why\nx.wast:1 script\n");
            Assert.That(ExpectedFailures.Read(path), Is.EquivalentTo(new[] { "proposals/threads/atomic.wast:12 module", "x.wast:1 script" }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
