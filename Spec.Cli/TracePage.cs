using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Spec.Cli;

/// <summary>
/// `trace --html`: the steps of a trace gathered into one self-contained page (Resources/TracePage.html: inline CSS and
/// script, no network) to step through: the program as the text printer prints it with each step's redex marked, the
/// configuration before and after the step, the rule with its SpecTec text, and what the step changed in the store.
/// The steps are embedded as JSON; a configuration or rule text that recurs is stored once. The page holds what the text
/// would print: at most --limit steps, then how the trace ended.
/// </summary>
internal sealed class TracePage(string title) : ITraceSink
{
    string program = "";

    public bool ShowsProgram => true;

    public void Program(string text) => program = text;

    readonly List<TraceStep> steps = [];
    readonly List<string> texts = [];
    readonly Dictionary<string, int> textIndex = new(StringComparer.Ordinal);
    string? end;

    public void Step(TraceStep step) => steps.Add(step);

    public void Results(TracePhase phase, string values)
    {
        if (phase == TracePhase.Invocation) end = $"results: {values}";
    }

    public void End(string message) => end = message;

    /// <summary>Writes the page to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        var template = Template();
        const string slot = "{{TRACE_DATA}}";
        int at = template.IndexOf(slot, StringComparison.Ordinal);
        using var file = new StreamWriter(path, false, new UTF8Encoding(false));
        file.Write(template.AsSpan(0, at));
        file.Flush();
        // The default encoder escapes <, > and & in strings: the data cannot close its script element.
        using (var json = new Utf8JsonWriter(file.BaseStream)) Data(json);
        file.Write(template.AsSpan(at + slot.Length));
    }

    void Data(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("program", program);
        w.WriteString("end", end ?? "");
        w.WriteStartArray("steps");
        foreach (var s in steps)
        {
            w.WriteStartObject();
            w.WriteNumber("n", s.Number);
            w.WriteString("rule", s.Rule);
            w.WriteString("phase", s.Phase == TracePhase.Instantiation ? "instantiation" : "");
            w.WriteNumber("before", Text(s.Before));
            w.WriteNumber("after", Text(s.After));
            w.WriteNumber("spec", Text(s.Explanation is { } e ? Unindented(e) : null));
            if (s.Line is { } line) w.WriteNumber("line", line);
            w.WriteStartArray("store");
            foreach (var c in s.Store) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("texts");
        foreach (var t in texts) w.WriteStringValue(t);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The index of <paramref name="text"/> in the table of texts, each stored once; -1 for none.</summary>
    int Text(string? text)
    {
        if (text is null) return -1;
        if (!textIndex.TryGetValue(text, out var k))
        {
            k = texts.Count;
            texts.Add(text);
            textIndex[text] = k;
        }
        return k;
    }

    /// <summary>--explain's lines without the indentation and bar that set them under a step in the text.</summary>
    static string Unindented(string explanation) => string.Join('\n', explanation.TrimEnd('\n').Split('\n')
        .Select(l => l.StartsWith("        | ", StringComparison.Ordinal) ? l[10..] : l.StartsWith("        ", StringComparison.Ordinal) ? l[8..] : l));

    static string Template()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Spec.Cli.TracePage.html")
            ?? throw new InvalidOperationException("the trace page's template is not in the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
