using System.Text;

namespace Spec.Binary.Tests;

/// <summary>
/// The `(module binary "...")` forms of the testsuite's .wast files, found by a scanner that only knows
/// parentheses, comments and string literals (the full script grammar is Spec.Wast's business).
/// </summary>
public static class TestsuiteBinaries
{
    public sealed record Case(string File, int Line, byte[] Bytes, string? Malformed, bool InAssertion)
    {
        public override string ToString() => $"{File}:{Line}";
    }

    /// <summary>The testsuite directory: $WASM_TESTSUITE, else test/testsuite, else ../shared/testsuite beside the repository root.</summary>
    public static string? Directory()
    {
        if (Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } env && System.IO.Directory.Exists(env)) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
        if (dir is null) return null;
        foreach (var candidate in new[] { Path.Combine(dir.FullName, "test", "testsuite"), Path.Combine(dir.FullName, "..", "shared", "testsuite") })
            if (System.IO.Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }

    public static IEnumerable<Case> All()
    {
        var root = Directory();
        if (root is null) yield break;
        var files = System.IO.Directory.GetFiles(root, "*.wast")
            .Concat(System.IO.Directory.Exists(Path.Combine(root, "legacy")) ? System.IO.Directory.GetFiles(Path.Combine(root, "legacy"), "*.wast", SearchOption.AllDirectories) : [])
            .Order(StringComparer.Ordinal);
        foreach (var f in files)
            foreach (var c in Scan(Path.GetRelativePath(root, f), File.ReadAllText(f)))
                yield return c;
    }

    /// <summary>The binary modules of the .wast files of one subdirectory of the testsuite, e.g. proposals/custom-descriptors.</summary>
    public static IEnumerable<Case> In(string subdirectory)
    {
        var root = Directory();
        if (root is null) yield break;
        var dir = Path.Combine(root, subdirectory);
        if (!System.IO.Directory.Exists(dir)) yield break;
        foreach (var f in System.IO.Directory.GetFiles(dir, "*.wast").Order(StringComparer.Ordinal))
            foreach (var c in Scan(Path.GetRelativePath(root, f), File.ReadAllText(f)))
                yield return c;
    }

    /// <summary>One s-expression node: its head atoms and children, enough to find binary modules and their assertion.</summary>
    sealed class Node(int line)
    {
        public readonly int Line = line;
        public readonly List<object> Items = new(); // string atoms, byte[] strings, Node children
    }

    static IEnumerable<Case> Scan(string file, string text)
    {
        var top = Parse(text);
        foreach (var n in top)
        {
            if (Head(n) is "module") { if (Binary(n) is { } b) yield return new Case(file, n.Line, b, null, false); continue; }
            string? head = Head(n);
            if (head is null || !head.StartsWith("assert_", StringComparison.Ordinal)) continue;
            foreach (var child in n.Items.OfType<Node>())
            {
                if (Head(child) is not "module" || Binary(child) is not { } bytes) continue;
                string? message = n.Items.LastOrDefault() is byte[] m ? Encoding.UTF8.GetString(m) : null;
                yield return new Case(file, child.Line, bytes, head == "assert_malformed" ? message : null, true);
            }
        }
    }

    static string? Head(Node n) => n.Items.Count > 0 ? n.Items[0] as string : null;

    static byte[]? Binary(Node module)
    {
        int i = 1;
        if (i < module.Items.Count && module.Items[i] is string s && s.StartsWith('$')) i++;
        if (i >= module.Items.Count || module.Items[i] is not "binary") return null;
        var bytes = new List<byte>();
        for (i++; i < module.Items.Count; i++)
            if (module.Items[i] is byte[] b) bytes.AddRange(b);
        return bytes.ToArray();
    }

    static List<Node> Parse(string t)
    {
        var top = new List<Node>();
        var stack = new Stack<Node>();
        int line = 1;
        for (int i = 0; i < t.Length;)
        {
            char c = t[i];
            if (c == '\n') { line++; i++; }
            else if (char.IsWhiteSpace(c)) i++;
            else if (c == ';' && i + 1 < t.Length && t[i + 1] == ';') { while (i < t.Length && t[i] != '\n') i++; }
            else if (c == '(' && i + 1 < t.Length && t[i + 1] == ';')
            {
                int depth = 0;
                do
                {
                    if (t[i] == '\n') line++;
                    if (t[i] == '(' && i + 1 < t.Length && t[i + 1] == ';') { depth++; i += 2; }
                    else if (t[i] == ';' && i + 1 < t.Length && t[i + 1] == ')') { depth--; i += 2; }
                    else i++;
                } while (depth > 0 && i < t.Length);
            }
            else if (c == '(') { stack.Push(new Node(line)); i++; }
            else if (c == ')')
            {
                i++;
                if (stack.Count == 0) continue;
                var n = stack.Pop();
                if (stack.Count == 0) top.Add(n); else stack.Peek().Items.Add(n);
            }
            else if (c == '"')
            {
                var (bytes, next) = StringLiteral(t, i + 1);
                stack.TryPeek(out var parent);
                parent?.Items.Add(bytes);
                i = next;
            }
            else
            {
                int start = i;
                while (i < t.Length && !char.IsWhiteSpace(t[i]) && t[i] is not '(' and not ')' and not '"') i++;
                if (stack.TryPeek(out var parent)) parent.Items.Add(t[start..i]);
            }
        }
        return top;
    }

    // A string literal's bytes: \hh, \n, \t, \\, \', \", \u{...}; other characters as UTF-8.
    static (byte[], int) StringLiteral(string t, int i)
    {
        var b = new List<byte>();
        while (i < t.Length && t[i] != '"')
        {
            if (t[i] != '\\')
            {
                int start = i;
                i += char.IsSurrogatePair(t, i) ? 2 : 1;
                b.AddRange(Encoding.UTF8.GetBytes(t[start..i]));
                continue;
            }
            char e = t[i + 1];
            switch (e)
            {
                case 'n': b.Add(10); i += 2; break;
                case 't': b.Add(9); i += 2; break;
                case 'r': b.Add(13); i += 2; break;
                case '\\' or '\'' or '"': b.Add((byte)e); i += 2; break;
                case 'u':
                {
                    int close = t.IndexOf('}', i);
                    int cp = Convert.ToInt32(t[(i + 3)..close].Replace("_", ""), 16);
                    b.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
                    i = close + 1;
                    break;
                }
                default: b.Add(Convert.ToByte(t.Substring(i + 1, 2), 16)); i += 3; break;
            }
        }
        return (b.ToArray(), i + 1);
    }
}
