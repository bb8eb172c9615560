using System.Text;
using Spec.TextFormat;

namespace Spec.Text.Tests;

/// <summary>Finds the official testsuite (WASM_TESTSUITE, else test/testsuite, else ../shared/testsuite from the repo root) and its commands.</summary>
internal static class Testsuite
{
    public static string Directory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("WASM_TESTSUITE");
            if (!string.IsNullOrEmpty(env) && System.IO.Directory.Exists(env)) return env;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("repository root (WasmSpec.sln) not found");
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "test", "testsuite"), Path.Combine(dir.FullName, "..", "shared", "testsuite") })
                if (System.IO.Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            throw new InvalidOperationException("testsuite not found: set WASM_TESTSUITE");
        }
    }

    public static IEnumerable<string> RootFiles() => System.IO.Directory.GetFiles(Directory, "*.wast").Order();

    /// <summary>The root files and those of legacy/ (the legacy exception-handling tests).</summary>
    public static IEnumerable<string> RootAndLegacyFiles() =>
        RootFiles().Concat(System.IO.Directory.GetFiles(Path.Combine(Directory, "legacy"), "*.wast").Order());

    /// <summary>A top-level command of a script: its tokens [Start, End) in the file's token list.</summary>
    public sealed record Form(string File, byte[] Source, List<Token> Tokens, int Start, int End)
    {
        public string Keyword => Tokens[Start + 1].Text;
        public int Line => Tokens[Start].Line;

        /// <summary>The direct children that are "(" module ... ")" forms, with their token ranges.</summary>
        public IEnumerable<Form> Children()
        {
            int i = Start + 2;
            while (i < End - 1)
            {
                if (Tokens[i].Kind == TokenKind.LParen)
                {
                    int j = Close(Tokens, i);
                    yield return this with { Start = i, End = j };
                    i = j;
                }
                else i++;
            }
        }

        public string Text => Encoding.UTF8.GetString(Source, Tokens[Start].Offset, Tokens[End - 1].Offset + 1 - Tokens[Start].Offset);
    }

    /// <summary>The index after the ")" matching the "(" at <paramref name="i"/>.</summary>
    public static int Close(List<Token> t, int i)
    {
        int depth = 0;
        do
        {
            if (t[i].Kind == TokenKind.LParen) depth++;
            else if (t[i].Kind == TokenKind.RParen) depth--;
            i++;
        } while (depth > 0 && i < t.Count);
        return i;
    }

    public static IEnumerable<Form> Commands(string file)
    {
        var src = File.ReadAllBytes(file);
        var toks = Lexer.Tokenize(src);
        int i = 0;
        while (toks[i].Kind == TokenKind.LParen)
        {
            int j = Close(toks, i);
            yield return new Form(Path.GetFileName(file), src, toks, i, j);
            i = j;
        }
    }

    /// <summary>The bytes of the strings of a (module quote ...) form, joined by spaces.</summary>
    public static byte[] QuoteText(Form m)
    {
        var b = new List<byte>();
        for (int i = m.Start + 2; i < m.End - 1; i++)
            if (m.Tokens[i].Kind == TokenKind.String) { if (b.Count > 0) b.Add((byte)' '); b.AddRange(m.Tokens[i].Bytes!); }
        return [.. b];
    }

    /// <summary>The kind of module form: "text", "definition", "quote", "binary" or "instance".</summary>
    public static string ModuleKind(Form m)
    {
        int i = m.Start + 2;
        if (m.Tokens[i].Kind == TokenKind.Keyword && m.Tokens[i].Text is "definition" or "instance") return m.Tokens[i].Text;
        if (m.Tokens[i].Kind == TokenKind.Id) i++;
        if (m.Tokens[i].Kind == TokenKind.Keyword && m.Tokens[i].Text is "quote" or "binary") return m.Tokens[i].Text;
        return "text";
    }

    /// <summary>Parses a text module form: its source slice, or its fields after "definition $id?".</summary>
    public static Spec.Syntax.Module ParseText(Form m)
    {
        if (ModuleKind(m) == "definition")
        {
            int i = m.Start + 3;
            string? name = null;
            if (m.Tokens[i].Kind == TokenKind.Id) name = m.Tokens[i++].Text;
            var module = TextFormat.Text.ParseModuleFields(m.Tokens, ref i, name);
            if (i != m.End - 1) throw new InvalidOperationException("fields did not end at the module's ')'");
            return module;
        }
        int start = m.Tokens[m.Start].Offset, end = m.Tokens[m.End - 1].Offset + 1;
        return TextFormat.Text.Parse(m.Source[start..end]);
    }

    /// <summary>Parses a module form in the text format (a source module, a definition or a quote); false, without
    /// parsing, for the other kinds (binary, instance). A malformed module throws its ParseException.</summary>
    public static bool ParseModule(Form m)
    {
        switch (ModuleKind(m))
        {
            case "text" or "definition": ParseText(m); return true;
            case "quote": TextFormat.Text.Parse(QuoteText(m)); return true;
            default: return false;
        }
    }

    /// <summary>
    /// Parses every (<paramref name="keyword"/> (module quote ...) "msg") of <paramref name="files"/>: how many were
    /// rejected with their message, and a line for each that was not.
    /// </summary>
    public static (int Ok, List<string> Failures) MalformedQuotes(IEnumerable<string> files, string keyword = "assert_malformed")
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var file in files)
            foreach (var cmd in Commands(file))
            {
                if (cmd.Keyword != keyword) continue;
                var m = cmd.Children().First();
                if (ModuleKind(m) != "quote") continue;
                var expected = cmd.Tokens[cmd.End - 2].Name;
                try
                {
                    TextFormat.Text.Parse(QuoteText(m));
                    failures.Add($"{m.File}:{m.Line}: parsed, expected \"{expected}\"");
                }
                catch (ParseException e)
                {
                    if (e.Reason.StartsWith(expected, StringComparison.Ordinal)) ok++;
                    else failures.Add($"{m.File}:{m.Line}: \"{e.Reason}\" at {e.Position}, expected \"{expected}\"");
                }
            }
        return (ok, failures);
    }
}
