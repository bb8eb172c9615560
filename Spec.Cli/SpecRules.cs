using System.Text.RegularExpressions;

namespace Spec.Cli;

/// <summary>
/// The reduction rules as the spec writes them (4.3-execution.instructions.spectec), for `trace --explain`: each rule's
/// source text, and the values a step's left-hand side bound (the operands in front of the redex, named as the rule
/// names them: `c = (i32.const 0)` for br_if-false).
/// </summary>
internal sealed partial class SpecRules(Dictionary<string, string> sources)
{
    const string ExecutionFile = "4.3-execution.instructions.spectec";

    /// <summary>The rules in <paramref name="dir"/>, else in ../shared/spec/spectec beside the checkout; null if neither has them.</summary>
    public static SpecRules? Load(string? dir)
    {
        var file = Path.Combine(dir ?? DefaultDir() ?? "", ExecutionFile);
        if (!File.Exists(file)) return null;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in RuleText().Matches(File.ReadAllText(file)))
            sources.TryAdd(m.Groups[1].Value, m.Value.TrimEnd());
        return new SpecRules(sources);
    }

    static string? DefaultDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WasmSpec.sln"))) return Path.Combine(d.FullName, "..", "shared", "spec", "spectec");
        return null;
    }

    [GeneratedRegex(@"^rule\s+([A-Za-z_]+/[^\s:]+)\s*:[^\n]*\n(?:[ \t]+[^\n]*\n?)*", RegexOptions.Multiline)]
    private static partial Regex RuleText();

    [GeneratedRegex(@"^\((?:i32|i64|f32|f64|v128)\.const |^\(REF\.|^REF\.NULL")]
    private static partial Regex ValueToken();

    /// <summary>Under a step: the rule's source, then the left-hand side's named operands bound to the values before the redex.</summary>
    public void Explain(string rule, (List<string> Tokens, int Redex) before, TextWriter output)
    {
        if (!sources.TryGetValue(rule, out var source))
        {
            output.WriteLine($"        (no rule {rule} in {ExecutionFile})");
            return;
        }
        foreach (var line in source.Split('\n')) output.WriteLine($"        | {line}");
        var bound = Bindings(source, before);
        if (bound.Count > 0) output.WriteLine($"        where {string.Join(", ", bound)}");
    }

    /// <summary>The operands the left-hand side names ((CONST t c), val, (REF.FUNC_ADDR a), ...), matched from the right
    /// against the values in front of the redex; a repeated form (val*, val^n) ends the matching.</summary>
    static List<string> Bindings(string source, (List<string> Tokens, int Redex) before)
    {
        var conclusion = source[(source.IndexOf(':') + 1)..];
        int arrow = conclusion.IndexOf("~>", StringComparison.Ordinal);
        if (arrow < 0) return [];
        var left = conclusion[..arrow];
        left = left[(left.LastIndexOf(';') + 1)..];
        var forms = Regex.Matches(left, @"\([^()]*(?:\([^()]*\)[^()]*)*\)[\^*?]?\S*|\S+").Select(m => m.Value).ToList();
        // the operands: the values in front of the redex, and the constants of the code right after it
        var values = new List<string>();
        int k = before.Redex;
        for (int j = k - 1; j >= 0 && ValueToken().IsMatch(before.Tokens[j]); j--) values.Insert(0, before.Tokens[j]);
        for (; k < before.Tokens.Count && ValueToken().IsMatch(before.Tokens[k]); k++) values.Add(before.Tokens[k]);
        var names = new List<string>();
        int v = values.Count - 1;
        for (int f = forms.Count - 2; f >= 0 && v >= 0; f--) // the last form is the instruction reduced
        {
            var form = forms[f];
            if (form.Contains('*') || form.Contains('^')) break;
            var m = Regex.Match(form, @"^\((?:CONST|VCONST|REF\.[A-Z0-9_]+)\s+(?:\S+\s+)?([a-z][a-z0-9_']*)\)$");
            if (m.Success) names.Insert(0, $"{m.Groups[1].Value} = {values[v--]}");
            else if (form is "val" or "ref") names.Insert(0, $"{form} = {values[v--]}");
            else break;
        }
        return names;
    }
}
