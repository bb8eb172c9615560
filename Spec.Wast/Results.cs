using System.Text.Json;
using Spec.Syntax;

namespace Spec.Wast;

// What running a script yields: per command keyword, how many passed, failed and were skipped, and each failure
// with the phase that produced it. Skipped means "not run yet" (a phase or the engine is missing), never passed.

internal enum Outcome : byte { Passed, Failed, Skipped }

internal sealed record Failure(int Line, string Kind, Phase Phase, string Message);

internal sealed class Counts
{
    public int Passed, Failed, Skipped;

    public void Add(Outcome o)
    {
        switch (o)
        {
            case Outcome.Passed: Passed++; break;
            case Outcome.Failed: Failed++; break;
            default: Skipped++; break;
        }
    }
}

/// <summary>The result of one .wast file; <see cref="File"/> is its name relative to the testsuite root. The script's
/// threads count their commands into it concurrently, so counting takes a lock.</summary>
internal sealed class FileResult(string file)
{
    public string File { get; } = file;
    public SortedDictionary<string, Counts> Kinds { get; } = new(StringComparer.Ordinal);
    public List<Failure> Failures { get; } = [];
    /// <summary>Commands that passed, by "LINE KIND", so that a listed expected failure that now passes is noticed.</summary>
    public HashSet<string> PassedKeys { get; } = [];

    public int Passed => Kinds.Values.Sum(c => c.Passed);
    public int Failed => Kinds.Values.Sum(c => c.Failed);
    public int Skipped => Kinds.Values.Sum(c => c.Skipped);

    public void Pass(int line, string kind)
    {
        lock (Kinds)
        {
            Count(kind).Add(Outcome.Passed);
            PassedKeys.Add($"{line} {kind}");
        }
    }

    public void Skip(string kind)
    {
        lock (Kinds) Count(kind).Add(Outcome.Skipped);
    }

    public void Fail(int line, string kind, Phase phase, string message)
    {
        lock (Kinds)
        {
            Count(kind).Add(Outcome.Failed);
            Failures.Add(new Failure(line, kind, phase, message));
        }
    }

    Counts Count(string kind)
    {
        if (!Kinds.TryGetValue(kind, out var c)) Kinds[kind] = c = new Counts();
        return c;
    }

    public string Summary => $"{File}: {Passed} passed, {Failed} failed, {Skipped} skipped";
}

internal static class JsonReport
{
    /// <summary>Writes the report of the runner's --json option.</summary>
    public static void Write(Stream stream, string engine, IReadOnlyList<FileResult> files)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("engine", engine);
        w.WriteStartArray("files");
        foreach (var f in files)
        {
            w.WriteStartObject();
            w.WriteString("file", f.File);
            WriteCounts(w, f.Passed, f.Failed, f.Skipped);
            w.WriteStartObject("kinds");
            foreach (var (kind, c) in f.Kinds)
            {
                w.WriteStartObject(kind);
                WriteCounts(w, c.Passed, c.Failed, c.Skipped);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("failures");
            foreach (var x in f.Failures)
            {
                w.WriteStartObject();
                w.WriteNumber("line", x.Line);
                w.WriteString("kind", x.Kind);
                w.WriteString("phase", PhaseName(x.Phase));
                w.WriteString("message", x.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("totals");
        WriteCounts(w, files.Sum(f => f.Passed), files.Sum(f => f.Failed), files.Sum(f => f.Skipped));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static void WriteCounts(Utf8JsonWriter w, int passed, int failed, int skipped)
    {
        w.WriteNumber("passed", passed);
        w.WriteNumber("failed", failed);
        w.WriteNumber("skipped", skipped);
    }

    public static string PhaseName(Phase p) => p.ToString().ToLowerInvariant();
}
