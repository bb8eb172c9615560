using System.Text;

namespace Spec.Validation.Tests;

/// <summary>
/// Just enough of the script format to find modules in .wast files: a balanced-parenthesis scan that knows
/// comments and strings. Finds the top-level commands, their module forms and assert_invalid's expected message.
/// </summary>
static class Wast
{
    public static string TestsuiteDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("WASM_TESTSUITE");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("repository root (WasmSpec.sln) not found");
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "test", "testsuite"), Path.Combine(dir.FullName, "..", "shared", "testsuite") })
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            throw new InvalidOperationException("testsuite not found: set WASM_TESTSUITE");
        }
    }

    /// <summary>The .wast files at the testsuite's root and in legacy/ (or in the directory WAST_EXTRA_DIR names, e.g. a
    /// proposal's), relative to the testsuite directory.</summary>
    public static IEnumerable<string> Files()
    {
        var root = TestsuiteDirectory;
        var extra = Environment.GetEnvironmentVariable("WAST_EXTRA_DIR");
        return Directory.GetFiles(root, "*.wast").Concat(Directory.GetFiles(Path.Combine(root, extra ?? "legacy"), "*.wast"))
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);
    }

    /// <summary>A parenthesised form: its text span in the file and its line.</summary>
    public sealed record Form(string Source, int Start, int End, int Line)
    {
        public string Text => Source[Start..End];

        /// <summary>The first keyword after "(" (e.g. "module", "assert_invalid").</summary>
        public string Head => Words().FirstOrDefault() ?? "";

        /// <summary>The atoms directly inside this form, in order, stopping at the first nested form.</summary>
        public IEnumerable<string> Words()
        {
            var i = Start + 1;
            while (true)
            {
                i = SkipSpace(Source, i, End);
                if (i >= End - 1 || Source[i] == '(' || Source[i] == '"') yield break;
                var j = i;
                while (j < End - 1 && !char.IsWhiteSpace(Source[j]) && Source[j] is not '(' and not ')' and not '"' and not ';') j++;
                yield return Source[i..j];
                i = j;
            }
        }

        public IEnumerable<Form> Children() => Scan(Source, Start + 1, End - 1);

        /// <summary>The string literals directly inside this form, decoded.</summary>
        public IEnumerable<byte[]> Strings()
        {
            var i = Start + 1;
            while (i < End - 1)
            {
                i = SkipSpace(Source, i, End - 1);
                if (i >= End - 1) yield break;
                if (Source[i] == '(') { i = Close(Source, i); continue; }
                if (Source[i] == '"') { var j = StringEnd(Source, i); yield return Decode(Source[(i + 1)..(j - 1)]); i = j; continue; }
                i++;
            }
        }
    }

    /// <summary>The forms at the top level of <paramref name="s"/> between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static IEnumerable<Form> Scan(string s, int from, int to)
    {
        var i = from;
        while (true)
        {
            i = SkipSpace(s, i, to);
            if (i >= to) yield break;
            if (s[i] == '(')
            {
                var j = Close(s, i);
                yield return new Form(s, i, j, 1 + s.AsSpan(0, i).Count('\n'));
                i = j;
            }
            else if (s[i] == '"') i = StringEnd(s, i);
            else i++;
        }
    }

    static int SkipSpace(string s, int i, int to)
    {
        while (i < to)
        {
            if (char.IsWhiteSpace(s[i])) i++;
            else if (s[i] == ';' && i + 1 < to && s[i + 1] == ';') { while (i < to && s[i] != '\n') i++; }
            else if (s[i] == '(' && i + 1 < to && s[i + 1] == ';') i = BlockCommentEnd(s, i);
            else break;
        }
        return i;
    }

    static int BlockCommentEnd(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '(' && i + 1 < s.Length && s[i + 1] == ';') { depth++; i += 2; }
            else if (s[i] == ';' && i + 1 < s.Length && s[i + 1] == ')') { depth--; i += 2; if (depth == 0) return i; }
            else i++;
        }
        return i;
    }

    static int StringEnd(string s, int i)
    {
        for (i++; i < s.Length && s[i] != '"'; i++) if (s[i] == '\\') i++;
        return i + 1;
    }

    /// <summary>The index after the ")" matching the "(" at <paramref name="i"/>.</summary>
    static int Close(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '(' && i + 1 < s.Length && s[i + 1] == ';') { i = BlockCommentEnd(s, i); continue; }
            if (c == ';' && i + 1 < s.Length && s[i + 1] == ';') { while (i < s.Length && s[i] != '\n') i++; continue; }
            if (c == '"') { i = StringEnd(s, i); continue; }
            i++;
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return i;
    }

    static byte[] Decode(string body)
    {
        var b = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\') { b.AddRange(Encoding.UTF8.GetBytes(c.ToString())); continue; }
            var e = body[++i];
            switch (e)
            {
                case 'n': b.Add(10); break;
                case 't': b.Add(9); break;
                case 'r': b.Add(13); break;
                case '"': case '\'': case '\\': b.Add((byte)e); break;
                case 'u':
                    var close = body.IndexOf('}', i);
                    var cp = Convert.ToInt32(body[(i + 2)..close].Replace("_", ""), 16);
                    b.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
                    i = close;
                    break;
                default: b.Add(Convert.ToByte(body.Substring(i, 2), 16)); i++; break;
            }
        }
        return [.. b];
    }
}
