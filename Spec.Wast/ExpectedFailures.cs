namespace Spec.Wast;

/// <summary>The ratchet: a list of known failures, one "FILE:LINE KIND" a line (FILE relative to the testsuite
/// root, '#' starts a comment). A run is clean when every failure is listed and no listed command passes.</summary>
internal static class ExpectedFailures
{
    public static string Key(string file, int line, string kind) => $"{file}:{line} {kind}";

    public static HashSet<string> Read(string path)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            int hash = raw.IndexOf('#');
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0) set.Add(string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        }
        return set;
    }

    /// <summary>Failures not in the list, and listed entries (of the files that ran) whose command passed.</summary>
    public static (List<string> Unexpected, List<string> NowPassing) Compare(HashSet<string> expected, IEnumerable<FileResult> files)
    {
        var unexpected = new List<string>();
        var nowPassing = new List<string>();
        foreach (var f in files)
        {
            var failing = f.Failures.Select(x => Key(f.File, x.Line, x.Kind)).ToHashSet(StringComparer.Ordinal);
            foreach (var x in f.Failures)
                if (!expected.Contains(Key(f.File, x.Line, x.Kind))) unexpected.Add($"{Key(f.File, x.Line, x.Kind)}  {x.Message}");
            foreach (var key in f.PassedKeys)
            {
                int space = key.IndexOf(' ');
                string entry = Key(f.File, int.Parse(key[..space]), key[(space + 1)..]);
                // Two commands of one kind on one line share an entry: it passes only when neither fails.
                if (expected.Contains(entry) && !failing.Contains(entry)) nowPassing.Add(entry);
            }
        }
        nowPassing.Sort(StringComparer.Ordinal);
        return (unexpected, nowPassing);
    }

    public const string Header = """
        # Expected failures of wast-run over the official testsuite (wast-run --all), the ratchet of CI.
        # One entry a line: FILE:LINE KIND, FILE relative to the testsuite root, KIND the command keyword
        # (module, assert_return, assert_malformed, ... or script for a file that does not parse as a script).
        # CI fails on any failure not listed here and on any listed entry that passes: the list only shrinks.
        # Regenerate after a feature lands with: ./wast-run --all --update-expected test/expected-failures.txt
        """;

    public static void Write(string path, IEnumerable<FileResult> files)
    {
        var entries = files.SelectMany(f => f.Failures.Select(x => (f.File, x.Line, x.Kind))).Distinct()
            .OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Kind, StringComparer.Ordinal)
            .Select(e => Key(e.File, e.Line, e.Kind));
        File.WriteAllLines(path, [Header, .. entries]);
    }
}
