using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Spec.Cli.Tests;

/// <summary>
/// `trace --html` in a browser: headless Chromium (Debian's chromium) loads the page with a fragment listing key and
/// click events, which the page dispatches to its own controls (the arrow keys, the back and forward buttons, the
/// step field and its button) one after another, listing the step shown after each; the dumped DOM must show the text
/// trace's steps in the order those events walk them. Without chromium on the PATH these tests fail.
/// </summary>
public class TracePageTests
{
    static string Root => TraceCorpusTests.Root;

    static string Corpus(string program) => Path.Combine(Root, "test", "Spec.Cli.Tests", "trace-corpus", program);

    string dir = "";

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(dir = Path.Combine(Path.GetTempPath(), "trace-page-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, recursive: true);

    /// <summary>The text trace's steps, number and rule, as it prints them.</summary>
    static List<string> TextSteps(string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        TraceCommand.Run(args, output, output);
        return [.. output.ToString().Split('\n').Select(l => Regex.Match(l, @"^ *(\d+)  (\S+)")).Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")];
    }

    /// <summary>The page for <paramref name="args"/>, written by trace --html.</summary>
    string Page(string[] args)
    {
        var page = Path.Combine(dir, "trace.html");
        var errors = new StringWriter();
        int exit = TraceCommand.Run([.. args, "--html", page], new StringWriter(), errors);
        Assert.That(exit, Is.Zero, errors.ToString());
        return page;
    }

    /// <summary>The steps the page showed, first and after each of <paramref name="events"/>, as it listed them in #replay.</summary>
    static List<string> Replay(string page, IEnumerable<string> events)
    {
        var dom = Chromium("--dump-dom", $"{new Uri(page).AbsoluteUri}#events={string.Join(',', events)}");
        var log = Regex.Match(dom, @"<ol id=""replay""[^>]*data-done=""yes""[^>]*>(.*?)</ol>", RegexOptions.Singleline);
        Assert.That(log.Success, $"the page did not replay its events; the DOM begins: {dom[..Math.Min(dom.Length, 500)]}");
        return [.. Regex.Matches(log.Groups[1].Value, "<li>(.*?)</li>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];
    }

    /// <summary>Runs headless Chromium with <paramref name="args"/> and returns what it printed.</summary>
    internal static string Chromium(params string[] args)
    {
        var exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);
        if (exe is null) Assert.Fail("chromium is not on the PATH (Debian: apt-get install -y chromium)");
        var profile = Path.Combine(Path.GetTempPath(), "chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(exe!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --no-sandbox: the tests may run as root, where Chromium's sandbox refuses to start
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}", .. args])
            start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            // generous: the machine may be busy; the page itself takes well under a second
            if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within five minutes");
            }
            Assert.That(p.ExitCode, Is.Zero, stderr.Result);
            return stdout.Result;
        }
        finally
        {
            if (Directory.Exists(profile)) Directory.Delete(profile, recursive: true);
        }
    }

    [TestCase("05-call-recursive.wat", "main", "3")]
    [TestCase("26-start.wat", "get")]
    [TestCase("12-exceptions.wat", "main")]
    public void Stepping_forward_and_back_shows_the_text_traces_rules_in_order(string program, string name, params string[] values)
    {
        string[] args = [Corpus(program), "--invoke", name, .. values, "--exact", "--features", "all"];
        var text = TextSteps(args);
        Assert.That(text, Has.Count.GreaterThan(3));
        var page = Page(args);
        // every step forward by the right arrow (one more press at the end stays on the last), back by the left arrow
        // and the back button, forward again by the button
        int n = text.Count;
        List<string> events = [.. Enumerable.Repeat("right", n), "left", "left", "click:back", "click:forward", "click:first", "click:last"];
        List<string> expected = [.. text, text[^1], text[^2], text[^3], text[^4], text[^3], text[0], text[^1]];
        Assert.That(Replay(page, events), Is.EqualTo(expected));
    }

    [Test]
    public void The_step_field_jumps_to_a_step_by_its_number()
    {
        string[] args = [Corpus("26-start.wat"), "--invoke", "get", "--exact"];
        var text = TextSteps(args);
        var page = Page(args);
        // a step of instantiation, of the start function, of the invocation, then one past the end (stays put), then back by the arrow
        var events = new[] { "jump:1", "jump:5", "jump:10", "jump:999", "left" };
        var expected = new[] { text[0], text[0], text[4], text[9], text[9], text[8] };
        Assert.That(Replay(page, events), Is.EqualTo(expected));
    }

    [Test]
    public void A_page_holds_the_steps_up_to_the_limit_and_says_where_it_stopped()
    {
        var wat = Path.Combine(dir, "spin.wat");
        File.WriteAllText(wat, """(module (func (export "spin") (loop (br 0))))""");
        var page = Path.Combine(dir, "spin.html");
        var errors = new StringWriter();
        int exit = TraceCommand.Run([wat, "--invoke", "spin", "--limit", "300", "--html", page], new StringWriter(), errors);
        Assert.That(exit, Is.EqualTo(135));
        Assert.That(errors.ToString().TrimEnd(), Is.EqualTo("wasmspec trace: stopped after 300 steps (--limit N for more)"));
        var json = Regex.Match(File.ReadAllText(page), @"<script type=""application/json"" id=""trace-data"">(.*?)</script>", RegexOptions.Singleline);
        using var data = System.Text.Json.JsonDocument.Parse(json.Groups[1].Value);
        var steps = data.RootElement.GetProperty("steps");
        Assert.That(steps.GetArrayLength(), Is.EqualTo(300));
        Assert.That(steps[299].GetProperty("n").GetInt64(), Is.EqualTo(300));
        Assert.That(data.RootElement.GetProperty("end").GetString(), Is.EqualTo("wasmspec trace: stopped after 300 steps (--limit N for more)"));
        // the loop's configurations recur: each is stored once, so the page does not grow with the steps' text
        Assert.That(data.RootElement.GetProperty("texts").GetArrayLength(), Is.LessThan(20));
        Assert.That(new FileInfo(page).Length, Is.LessThan(64 * 1024));
    }

    [Test]
    public void The_page_opens_at_the_step_its_fragment_names_and_marks_the_redex_in_the_program()
    {
        string[] args = [Corpus("05-call-recursive.wat"), "--invoke", "main", "3", "--exact"];
        var page = Page(args);
        var dom = Chromium("--dump-dom", $"{new Uri(page).AbsoluteUri}#step=29");
        Assert.That(Regex.Match(dom, @"<span id=""rule"">([^<]*)</span>").Groups[1].Value, Is.EqualTo("Step_read/local.get"));
        // the redex of step 29, local.get 0 in the fourth recursion, is the function's first instruction
        Assert.That(Regex.Match(dom, @"<span class=""redex"">([^<]*)</span>").Groups[1].Value, Is.EqualTo("    local.get 0"));
        // the configuration is the text trace's, nested frames and all
        Assert.That(dom, Does.Contain("(FRAME_1{(i64.const 0)}"));
        Assert.That(dom, Does.Contain("rule Step_read/local.get:"));
    }
}
