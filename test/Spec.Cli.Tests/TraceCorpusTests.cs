using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Spec.Execution;
using Spec.Execution.Reduction;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;
using Store = Spec.Execution.Store;

namespace Spec.Cli.Tests;

/// <summary>
/// The trace corpus (trace-corpus/*.wat, each naming its invocation on its first line): every program's `--exact` trace
/// equals its golden file (checked against the spec by hand once), and every step of every trace is checked against the
/// SpecTec text of the rule it names: the instruction or context the rule's left-hand side reduces is at the redex
/// before the step, and every instruction and administrative form of its right-hand side is in the configuration after.
/// </summary>
public class TraceCorpusTests
{
    /// <summary>The checkout: the folder above the test binaries holding WasmSpec.sln.</summary>
    internal static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) return dir.FullName;
            throw new InvalidOperationException("no WasmSpec.sln above the test binaries");
        }
    }
    static string CorpusDir => Path.Combine(Root, "test", "Spec.Cli.Tests", "trace-corpus");

    static IEnumerable<string> Programs() => Directory.GetFiles(
        Path.Combine(Root, "test", "Spec.Cli.Tests", "trace-corpus"), "*.wat").Order(StringComparer.Ordinal).Select(Path.GetFileName)!;

    /// <summary>The invocation on the program's first line: ";; invoke: NAME ARG...".</summary>
    static (string Name, string[] Args) Invocation(string file)
    {
        var words = File.ReadLines(file).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(words[..2], Is.EqualTo(new[] { ";;", "invoke:" }), file);
        return (words[2], words[3..]);
    }

    [Test]
    public void The_corpus_is_at_least_twenty_programs() => Assert.That(Programs().Count(), Is.GreaterThanOrEqualTo(20));

    [TestCaseSource(nameof(Programs))]
    public void The_exact_trace_is_the_golden_one(string program)
    {
        var file = Path.Combine(CorpusDir, program);
        var (name, args) = Invocation(file);
        var output = new StringWriter { NewLine = "\n" };
        // the trace names the file as given: run it from the corpus folder so that it reads the same everywhere
        // some programs use proposals (atomics): every one is traced with all of them on
        TraceCommand.Run([file, "--invoke", name, .. args, "--exact", "--features", "all"], output, output);
        var text = output.ToString().Replace(file, program);
        var golden = Path.ChangeExtension(file, ".trace");
        if (Environment.GetEnvironmentVariable("TRACE_CORPUS_UPDATE") == "1") File.WriteAllText(golden, text);
        Assert.That(text, Is.EqualTo(File.ReadAllText(golden)), $"{program}: its trace differs from {Path.GetFileName(golden)}");
    }

    [TestCaseSource(nameof(Programs))]
    public void Every_step_has_the_shape_of_its_rule(string program)
    {
        var rules = SpecRules.Load();
        var file = Path.Combine(CorpusDir, program);
        var (name, args) = Invocation(file);
        var module = Text.Parse(Encoding.UTF8.GetBytes(File.ReadAllText(file)));
        // some programs use proposals (atomics), as in the traces above
        Validator.Validate(module, Features.All);
        var store = new Store(policy: StorePolicy.Default with { ExactSteps = true });
        var instance = Instantiation.Instantiate(store, module, (_, _) => null, Features.All);
        var func = ((ExternVal.Func)instance.Export(name)!).Inst;
        var type = Embedding.TypeOf(func);
        var z = new Interpreter(store);
        z.Begin(func, [.. args.Select((a, k) => CommandLineValues.Parse(a, type.Params[k])!.Value)]);
        var shape = new Shapes();
        var mismatches = new List<string>();
        int checkedSteps = 0;
        var before = Normalised(z.ConfigurationTokens(shape));
        try
        {
            while (!z.Done)
            {
                var rule = z.Step();
                var after = Normalised(z.ConfigurationTokens(shape));
                if (rules.TryGetValue(rule, out var r))
                {
                    checkedSteps++;
                    if (!LeftSideAtRedex(r.Left, before)) mismatches.Add($"step {z.Steps} {rule}: no {r.Left} at the redex of {string.Join(' ', before.Tokens)}");
                    foreach (var form in r.Right.Where(f => !after.Tokens.Contains(f)))
                        mismatches.Add($"step {z.Steps} {rule}: no {form} after it in {string.Join(' ', after.Tokens)}");
                }
                else Assert.That(rule, Does.StartWith("Legacy/").Or.Contain("atomic").Or.Contain("wide"), $"{rule} is not a rule of the spec");
                before = after;
            }
        }
        catch (WasmException) { } // a trap or an uncaught exception ends the trace; its steps were checked
        Assert.That(mismatches, Is.Empty);
        Assert.That(checkedSteps, Is.Positive);
    }

    /// <summary>The left-hand side's instruction or context is the innermost context, or the first instruction after its values.</summary>
    static bool LeftSideAtRedex(string left, (List<string> Tokens, int Redex) c)
    {
        int from = c.Redex;
        while (from > 0 && c.Tokens[from - 1] is not ("frame" or "label" or "handler")) from--;
        if (from > 0) from--;
        int to = c.Redex;
        while (to < c.Tokens.Count - 1 && c.Tokens[to] is "val" or "const" or "vconst") to++;
        for (int k = from; k <= to && k < c.Tokens.Count; k++) if (c.Tokens[k] == left) return true;
        return false;
    }

    /// <summary>Each value, instruction and administrative form as a normalised name: "val", "localtee", "label", "br", "trap".</summary>
    sealed class Shapes : INotation
    {
        public string Value(Value v) => "val";
        public string Instr(Instr i) => Normal(i.GetType().Name);
        public string Head(Instr i) => Normal(i.GetType().Name);
    }

    /// <summary>A name without case, dots and underscores, as both the spec's opcodes and the syntax records can be compared.</summary>
    static string Normal(string name) => name.Replace(".", "").Replace("_", "").ToLowerInvariant();

    /// <summary>The configuration tokens normalised: "(FRAME_1{...}" is "frame", "(BR 0)" is "br", ")" is dropped.</summary>
    static string Token(string t)
    {
        var m = Regex.Match(t, @"^\(?([A-Za-z][A-Za-z0-9._]*)");
        if (!m.Success) return "";
        var word = m.Groups[1].Value;
        return Regex.IsMatch(word, "^(FRAME|LABEL|HANDLER)_[0-9]+") ? Normal(word[..word.IndexOf('_')]) : Normal(word);
    }

    sealed record Rule(string Left, List<string> Right);

    /// <summary>The reduction rules of 4.3-execution.instructions.spectec: the form each left-hand side reduces and the
    /// instructions and administrative forms of each right-hand side (values left out).</summary>
    static class SpecRules
    {
        static Dictionary<string, Rule>? rules;

        public static Dictionary<string, Rule> Load()
        {
            if (rules is not null) return rules;
            var dir = Path.Combine(Root, "..", "shared", "spec", "spectec");
            var file = Path.Combine(dir, "4.3-execution.instructions.spectec");
            if (!File.Exists(file)) throw new InconclusiveException("no spec found beside the checkout");
            var text = Regex.Replace(Regex.Replace(File.ReadAllText(file), @"\(;.*?;\)", "", RegexOptions.Singleline), ";;[^\n]*", "");
            var result = new Dictionary<string, Rule>(StringComparer.Ordinal);
            foreach (Match m in Regex.Matches(text, @"^rule\s+(Step(?:_pure|_read)?/[^\s:]+)\s*:\s*\n((?:[ \t]+[^\n]*\n?)*)", RegexOptions.Multiline))
            {
                var conclusion = string.Join(' ', m.Groups[2].Value.Split('\n').TakeWhile(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));
                var sides = conclusion.Split("~>");
                if (sides.Length != 2) continue;
                var left = Forms(WithoutState(sides[0]), contexts: false);
                if (left.Count == 0) continue;
                result[m.Groups[1].Value] = new Rule(left[^1], Forms(WithoutState(sides[1]), contexts: true));
            }
            return rules = result;
        }

        /// <summary>The configuration's instructions without the state in front ("z;", "s; f;", "$add_exninst(z, ..);").</summary>
        static string WithoutState(string side)
        {
            int depth = 0, cut = 0;
            for (int k = 0; k < side.Length; k++)
            {
                if (side[k] is '(' or '{') depth++;
                else if (side[k] is ')' or '}') depth--;
                else if (side[k] == ';' && depth == 0) cut = k + 1;
            }
            return side[cut..];
        }

        /// <summary>The opcodes of the top-level forms that are not values, and (with <paramref name="contexts"/>) those
        /// inside FRAME_, LABEL_ and HANDLER_ (not their braces).</summary>
        static List<string> Forms(string s, bool contexts)
        {
            var forms = new List<string>();
            int k = 0;
            while (k < s.Length)
            {
                if (s[k] == '(')
                {
                    int end = Close(s, k);
                    var inner = s[(k + 1)..end];
                    var op = Regex.Match(inner, @"^\s*([A-Z][A-Z0-9._]*)").Groups[1].Value;
                    if (op.Length > 0 && !IsValue(op))
                    {
                        forms.Add(Normal(op));
                        if (contexts && op is "FRAME_" or "LABEL_" or "HANDLER_")
                            forms.AddRange(Forms(Regex.Replace(inner[op.Length..], @"`?\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", ""), contexts));
                    }
                    k = end + 1;
                }
                else if (char.IsUpper(s[k]) && (k == 0 || char.IsWhiteSpace(s[k - 1])))
                {
                    var op = Regex.Match(s[k..], @"^[A-Z][A-Z0-9._]*").Value;
                    if (op.Length > 1 && !IsValue(op)) forms.Add(Normal(op));
                    k += Math.Max(op.Length, 1);
                }
                else k++;
            }
            return forms;
        }

        static bool IsValue(string op) => op is "CONST" or "VCONST" or "REF.EXTERN" || op.StartsWith("REF.", StringComparison.Ordinal) && (op.EndsWith("_ADDR", StringComparison.Ordinal) || op.EndsWith("_NUM", StringComparison.Ordinal));

        static int Close(string s, int open)
        {
            int depth = 0;
            for (int k = open; k < s.Length; k++)
            {
                if (s[k] == '(') depth++;
                else if (s[k] == ')' && --depth == 0) return k;
            }
            return s.Length - 1;
        }
    }

    /// <summary>Normalises the configuration's tokens for the comparisons above.</summary>
    static (List<string> Tokens, int Redex) Normalised((List<string> Tokens, int Redex) c) => ([.. c.Tokens.Select(Token)], c.Redex);
}
