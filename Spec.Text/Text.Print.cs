using Spec.Syntax;

namespace Spec.TextFormat;

public static partial class Text
{
    /// <summary>
    /// The module in the text format (§6), flat instructions with explicit type uses, rec groups and segment modes,
    /// so that parsing the result yields an equal module, <see cref="Module.Names"/> included.
    /// Names that are not unique in their index space are printed as indices.
    /// </summary>
    public static string Print(Module m)
    {
        var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Print(m, w);
        return w.ToString();
    }

    /// <summary>The module in the text format, as <see cref="Print(Module)"/> gives it, written to <paramref name="output"/> line by line.</summary>
    public static void Print(Module m, TextWriter output) => new Printer(m, output).PrintModule();

    /// <summary>The module as <see cref="Print(Module)"/> gives it, and the line (from 0) on which each instruction of each
    /// function body is printed, by function index and position (<see cref="InstrPositions"/>).</summary>
    public static (string Text, IReadOnlyDictionary<(uint Func, uint Instr), int> Lines) PrintLocated(Module m)
    {
        var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var lines = new Dictionary<(uint Func, uint Instr), int>();
        new Printer(m, w) { Located = lines }.PrintModule();
        return (w.ToString(), lines);
    }

    /// <summary>One instruction on one line as it appears in a body of <paramref name="m"/>: a block instruction by its first line.</summary>
    public static string Print(Instr instr, Module? m = null) => new Printer.Body(new Printer(m ?? Module.Empty), Printer.Space.None, []).Head(instr);

    /// <summary>One instruction on one line, a block instruction with its whole body up to its "end".</summary>
    public static string PrintWhole(Instr instr, Module? m = null) => new Printer.Body(new Printer(m ?? Module.Empty), Printer.Space.None, []).Whole(instr);
}
