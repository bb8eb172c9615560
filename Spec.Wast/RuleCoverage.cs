using System.Text;
using System.Text.RegularExpressions;
using Spec.Validation;
using Store = Spec.Execution.Store;

namespace Spec.Wast;

/// <summary>
/// wast-run --rule-coverage FILE: how often each reduction rule of the execution chapter (every Step, Step_pure
/// and Step_read rule) and each Instr_ok rule of the validation chapter fired over a run. The rule lists are read
/// from the SpecTec sources at run time, so the report follows the spec; names the engine or validator reports
/// that the spec does not have are listed apart.
/// </summary>
internal sealed partial class RuleCoverage
{
    public const string ExecutionFile = "4.3-execution.instructions.spectec";
    public const string ValidationFile = "2.3-validation.instructions.spectec";

    /// <summary>The reduction rules, in spec order: Step/..., Step_pure/..., Step_read/... (not the closure Steps).</summary>
    public IReadOnlyList<string> StepRules { get; }
    /// <summary>The Instr_ok rules, in spec order.</summary>
    public IReadOnlyList<string> InstrOkRules { get; }

    readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    readonly object gate = new();

    public RuleCoverage(IReadOnlyList<string> stepRules, IReadOnlyList<string> instrOkRules)
    {
        StepRules = stepRules;
        InstrOkRules = instrOkRules;
    }

    [GeneratedRegex(@"^rule\s+(Step(?:_pure|_read)?/[^\s:]+)\s*:", RegexOptions.Multiline)]
    private static partial Regex StepRule();

    [GeneratedRegex(@"^rule\s+(Instr_ok/[^\s:]+)\s*:", RegexOptions.Multiline)]
    private static partial Regex InstrOkRule();

    /// <summary>Reads the rule names from the SpecTec sources in <paramref name="specDir"/>.</summary>
    public static RuleCoverage Load(string specDir)
    {
        static List<string> Names(Regex rule, string file) =>
            [.. rule.Matches(WithoutComments(File.ReadAllText(file))).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];
        return new RuleCoverage(
            Names(StepRule(), Path.Combine(specDir, ExecutionFile)),
            Names(InstrOkRule(), Path.Combine(specDir, ValidationFile)));
    }

    /// <summary>SpecTec source without its comments: ";;" to the end of the line, and "(; ... ;)" blocks, which nest
    /// (rules kept in the spec only as commented-out text are not rules).</summary>
    internal static string WithoutComments(string source)
    {
        var sb = new StringBuilder(source.Length);
        int depth = 0;
        for (int i = 0; i < source.Length; i++)
        {
            if (source[i] == '(' && i + 1 < source.Length && source[i + 1] == ';') { depth++; i++; }
            else if (depth > 0 && source[i] == ';' && i + 1 < source.Length && source[i + 1] == ')') { depth--; i++; }
            else if (depth == 0 && source[i] == ';' && i + 1 < source.Length && source[i + 1] == ';')
                while (i + 1 < source.Length && source[i + 1] != '\n') i++;
            else if (depth == 0 || source[i] == '\n') sb.Append(source[i]);
        }
        return sb.ToString();
    }

    /// <summary>The SpecTec folder: --spec, else spec/spectec beside the testsuite, else ../shared/spec/spectec beside the repo root.</summary>
    public static string? SpecDir(string? option, string? testsuiteRoot)
    {
        if (option is not null) return Path.GetFullPath(option);
        var candidates = new List<string>();
        if (testsuiteRoot is not null) candidates.Add(Path.Combine(testsuiteRoot, "..", "spec", "spectec"));
        if (Testsuite.RepoRoot() is { } repo) candidates.Add(Path.Combine(repo, "..", "shared", "spec", "spectec"));
        return candidates.Where(c => File.Exists(Path.Combine(c, ExecutionFile))).Select(Path.GetFullPath).FirstOrDefault();
    }

    /// <summary>
    /// Counts the rules fired until disposed: every validation run on this thread, and every store given the
    /// observer's <see cref="Observer.Count"/> as its trace, report to a counter of this thread's own, merged into the
    /// totals at the end (no lock per step).
    /// </summary>
    public Observer Observe()
    {
        var local = new Dictionary<string, long>(StringComparer.Ordinal);
        void Count(string rule) => local[rule] = local.GetValueOrDefault(rule) + 1;
        var saved = Validator.Trace;
        Validator.Trace = Count;
        return new Observer(Count, () =>
        {
            Validator.Trace = saved;
            lock (gate)
                foreach (var (rule, n) in local) counts[rule] = counts.GetValueOrDefault(rule) + n;
        });
    }

    /// <summary>One thread's counting: <see cref="Count"/> is the trace hook to give the stores it runs.</summary>
    public sealed class Observer(System.Action<string> count, System.Action end) : IDisposable
    {
        public System.Action<string> Count => count;
        public void Dispose() => end();
    }

    /// <summary>How often <paramref name="rule"/> fired. Step/pure and Step/read are the rules that lift every
    /// Step_pure and Step_read step into Step, so they fire with each of those.</summary>
    public long Count(string rule)
    {
        lock (gate)
            return rule switch
            {
                "Step/pure" => counts.Where(c => c.Key.StartsWith("Step_pure/", StringComparison.Ordinal)).Sum(c => c.Value),
                "Step/read" => counts.Where(c => c.Key.StartsWith("Step_read/", StringComparison.Ordinal)).Sum(c => c.Value),
                _ => counts.GetValueOrDefault(rule),
            };
    }

    /// <summary>The report: a header with totals, then each section's rules by count (most first), never-fired last.</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        var known = new HashSet<string>(StepRules.Concat(InstrOkRules), StringComparer.Ordinal);
        List<(string Rule, long Count)> extra;
        lock (gate)
            extra = [.. counts.Where(c => !known.Contains(c.Key)).Select(c => (c.Key, c.Value))];
        var steps = StepRules.Select(r => (Rule: r, Count: Count(r))).ToList();
        var instrs = InstrOkRules.Select(r => (Rule: r, Count: Count(r))).ToList();
        int stepFired = steps.Count(s => s.Count > 0), instrFired = instrs.Count(s => s.Count > 0);
        sb.AppendLine("# rule coverage: how often each rule fired over the run (rules never fired last, with count 0)");
        sb.AppendLine($"# execution ({ExecutionFile}): {stepFired} of {steps.Count} Step rules fired, {steps.Where(s => s.Rule is not ("Step/pure" or "Step/read") && !s.Rule.StartsWith("Step/ctxt-", StringComparison.Ordinal)).Sum(s => s.Count)} steps");
        sb.AppendLine($"# validation ({ValidationFile}): {instrFired} of {instrs.Count} Instr_ok rules fired, {instrs.Sum(s => s.Count)} checks");
        sb.AppendLine($"# other names: {extra.Count} reported by the engine or validator that are not Step or Instr_ok rules of the spec");
        sb.AppendLine("# Step/pure and Step/read count the Step_pure and Step_read steps they lift");
        sb.AppendLine("# Step/ctxt-* are implicit (the interpreter works on the innermost context): each counts the steps taken inside a context of its kind");
        Section("execution", steps);
        Section("validation", instrs);
        Section("other names (not Step or Instr_ok rules of the spec)", extra);
        return sb.ToString();

        void Section(string title, List<(string Rule, long Count)> rules)
        {
            sb.AppendLine().AppendLine($"## {title}");
            foreach (var (rule, n) in rules.OrderByDescending(r => r.Count).ThenBy(r => r.Rule, StringComparer.Ordinal))
                sb.AppendLine(rule.StartsWith("Step/ctxt-", StringComparison.Ordinal) ? $"{rule} {n} (implicit)" : $"{rule} {n}");
        }
    }
}
