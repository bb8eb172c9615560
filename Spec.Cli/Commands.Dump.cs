using Spec.TextFormat;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Decoder = Spec.BinaryFormat.Decoder;
using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.Wast;

namespace Spec.Cli;

/// <summary>
/// `wasmspec dump FILE.wasm`: the header, every section with its entries, and each function disassembled with byte
/// offsets, written as it is made. Exit status (<see cref="ExitStatus"/>): 0 done, 1 malformed, 2 bad usage or unreadable file.
/// </summary>
internal static class DumpCommand
{
    public static int Run(string[] args)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        return Run(args, stdout);
    }

    internal static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: wasmspec dump FILE.wasm");
            return ExitStatus.Usage;
        }
        byte[] bytes;
        try { bytes = File.ReadAllBytes(args[0]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return ExitStatus.Usage;
        }
        var trace = new Decoder.Trace();
        Module m;
        try { m = Decoder.DecodeModule(bytes, trace, Features.All); }
        catch (DecodeException e)
        {
            Console.Error.WriteLine($"{args[0]}:0x{e.Offset:x}: {e.Reason}");
            return ExitStatus.Failed;
        }
        new Dumper(m, bytes, trace, output).Write(Path.GetFileName(args[0]));
        return ExitStatus.Success;
    }
}

/// <summary>Formats a decoded module the way an object-file dumper does: headers, details, disassembly.</summary>
internal sealed class Dumper(Module m, byte[] bytes, Decoder.Trace trace, TextWriter w)
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    void Line(string s)
    {
        w.Write(s);
        w.Write('\n');
    }

    // Indentation stops growing at this depth, so that deeply nested code dumps in linear size.
    const int MaxIndent = 32;
    static readonly string[] Indents = [.. Enumerable.Range(0, MaxIndent + 1).Select(d => new string(' ', 2 * d))];

    static string Indent(int depth) => Indents[Math.Clamp(depth, 0, MaxIndent)];

    public void Write(string file)
    {
        Line($"{file}:\tfile format wasm 0x1");
        Line("");
        Headers();
        Line("");
        Details();
        Line("");
        Disassembly();
    }

    static string SectionName(byte id) => id switch
    {
        0 => "Custom", 1 => "Type", 2 => "Import", 3 => "Function", 4 => "Table", 5 => "Memory", 6 => "Global",
        7 => "Export", 8 => "Start", 9 => "Elem", 10 => "Code", 11 => "Data", 12 => "DataCount", _ => "Tag",
    };

    int CountOf(byte id) => id switch
    {
        1 => m.Types.Length, 2 => m.Imports.Length, 3 => m.Funcs.Length, 4 => m.Tables.Length, 5 => m.Mems.Length,
        6 => m.Globals.Length, 7 => m.Exports.Length, 9 => m.Elems.Length, 10 => m.Funcs.Length, 11 => m.Datas.Length,
        12 => m.Datas.Length, 13 => m.Tags.Length, _ => 0,
    };

    void Headers()
    {
        Line("Sections:");
        Line("");
        foreach (var s in trace.Sections)
        {
            string tail = s.Id switch
            {
                0 => $"\"{s.CustomName}\"",
                8 => $"start: {m.Start?.Func}",
                _ => $"count: {CountOf(s.Id)}",
            };
            Line($"{SectionName(s.Id),9} start=0x{s.HeaderStart:x8} end=0x{s.End:x8} (size=0x{s.End - s.Start:x8}) {tail}");
        }
    }

    // ---- Section details ----

    int ImportCount(ExternKind k) => m.ImportsOf(k).Count();

    string FuncLabel(uint i) => m.Names.FuncName(i) is { } n ? $" <{n}>" : "";

    void Details()
    {
        Line("Section Details:");
        foreach (var s in trace.Sections)
        {
            Line("");
            switch (s.Id)
            {
                case 0:
                    Line($"Custom:\n - name: \"{s.CustomName}\"");
                    break;
                case 1:
                    Line($"Type[{m.Types.Length}]:");
                    for (int i = 0; i < m.Types.Length; i++) Line($" - type[{i}] {RecText(m.Types[i].Rec)}");
                    break;
                case 2:
                    Line($"Import[{m.Imports.Length}]:");
                    var next = new Dictionary<ExternKind, int>();
                    foreach (var im in m.Imports)
                    {
                        var kind = KindOf(im.Type);
                        int idx = next.GetValueOrDefault(kind);
                        next[kind] = idx + 1;
                        Line($" - {KindName(kind)}[{idx}] {ExternText(im.Type)} <- {im.Module}.{im.Name}");
                    }
                    break;
                case 3:
                    Line($"Function[{m.Funcs.Length}]:");
                    int f0 = ImportCount(ExternKind.Func);
                    for (int i = 0; i < m.Funcs.Length; i++) Line($" - func[{f0 + i}] sig={m.Funcs[i].TypeIdx}{FuncLabel((uint)(f0 + i))}");
                    break;
                case 4:
                    Line($"Table[{m.Tables.Length}]:");
                    int t0 = ImportCount(ExternKind.Table);
                    for (int i = 0; i < m.Tables.Length; i++) Line($" - table[{t0 + i}] {TableText(m.Tables[i].Type)}");
                    break;
                case 5:
                    Line($"Memory[{m.Mems.Length}]:");
                    int m0 = ImportCount(ExternKind.Mem);
                    for (int i = 0; i < m.Mems.Length; i++) Line($" - memory[{m0 + i}] {MemText(m.Mems[i].Type)}");
                    break;
                case 13:
                    Line($"Tag[{m.Tags.Length}]:");
                    int g0t = ImportCount(ExternKind.Tag);
                    for (int i = 0; i < m.Tags.Length; i++) Line($" - tag[{g0t + i}] sig={TypeUseText(m.Tags[i].Type)}");
                    break;
                case 6:
                    Line($"Global[{m.Globals.Length}]:");
                    int g0 = ImportCount(ExternKind.Global);
                    for (int i = 0; i < m.Globals.Length; i++)
                        Line($" - global[{g0 + i}] {ValText(m.Globals[i].Type.Type)} mutable={(m.Globals[i].Type.Mut == Mut.Var ? 1 : 0)} - init {ExprText(m.Globals[i].Init)}");
                    break;
                case 7:
                    Line($"Export[{m.Exports.Length}]:");
                    foreach (var x in m.Exports)
                        Line($" - {KindName(x.Index.Kind)}[{x.Index.Index}]{(x.Index.Kind == ExternKind.Func ? FuncLabel(x.Index.Index) : "")} -> \"{x.Name}\"");
                    break;
                case 8:
                    Line($"Start:\n - start function: {m.Start?.Func}");
                    break;
                case 9:
                    Line($"Elem[{m.Elems.Length}]:");
                    for (int i = 0; i < m.Elems.Length; i++)
                    {
                        var e = m.Elems[i];
                        string mode = e.Mode switch
                        {
                            ElemActive a => $"active table={a.Table} - init {ExprText(a.Offset)}",
                            ElemPassive => "passive",
                            _ => "declarative",
                        };
                        Line($" - segment[{i}] type={ValText(e.Type)} count={e.Inits.Length} {mode}");
                        for (int k = 0; k < e.Inits.Length; k++) Line($"  - elem[{k}] = {ExprText(e.Inits[k])}");
                    }
                    break;
                case 12:
                    Line($"DataCount:\n - data count: {m.Datas.Length}");
                    break;
                case 10:
                    Line($"Code[{m.Funcs.Length}]:");
                    int c0 = ImportCount(ExternKind.Func);
                    for (int i = 0; i < m.Funcs.Length && i < trace.Bodies.Count; i++)
                        Line($" - func[{c0 + i}] size={trace.Bodies[i].End - trace.Bodies[i].Start}{FuncLabel((uint)(c0 + i))}");
                    break;
                case 11:
                    Line($"Data[{m.Datas.Length}]:");
                    for (int i = 0; i < m.Datas.Length; i++)
                    {
                        var d = m.Datas[i];
                        string mode = d.Mode is DataActive a ? $"memory={a.Mem} - init {ExprText(a.Offset)}" : "passive";
                        Line($" - segment[{i}] {mode} size={d.Init.Length}");
                        HexDump(d.Init);
                    }
                    break;
            }
        }
    }

    void HexDump(ImmutableArray<byte> data)
    {
        for (int at = 0; at < data.Length; at += 16)
        {
            var row = data.AsSpan().Slice(at, Math.Min(16, data.Length - at));
            var hex = new StringBuilder();
            for (int i = 0; i < 16; i++)
            {
                hex.Append(i < row.Length ? row[i].ToString("x2", Inv) : "  ");
                if (i % 2 == 1) hex.Append(' ');
            }
            var text = new string([.. row.ToArray().Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.')]);
            Line($"  - {at:x7}: {hex} {text}");
        }
    }

    static ExternKind KindOf(ExternType t) => t switch
    {
        FuncExtern => ExternKind.Func, TableExtern => ExternKind.Table, MemExtern => ExternKind.Mem,
        GlobalExtern => ExternKind.Global, _ => ExternKind.Tag,
    };

    static string KindName(ExternKind k) => k switch
    {
        ExternKind.Func => "func", ExternKind.Table => "table", ExternKind.Mem => "memory", ExternKind.Global => "global", _ => "tag",
    };

    static string ExternText(ExternType t) => t switch
    {
        FuncExtern f => $"sig={TypeUseText(f.Type)}",
        TableExtern tt => TableText(tt.Type),
        MemExtern mt => MemText(mt.Type),
        GlobalExtern g => $"{ValText(g.Type.Type)} mutable={(g.Type.Mut == Mut.Var ? 1 : 0)}",
        TagExtern tg => $"sig={TypeUseText(tg.Type)}",
        _ => "?",
    };

    static string LimitsText(AddrType at, Limits l) =>
        $"{(at == AddrType.I64 ? "i64 " : "")}initial={l.Min}{(l.Max is { } max ? $" max={max}" : "")}";

    static string TableText(TableType t) => $"type={ValText(t.ElemType)} {LimitsText(t.AddrType, t.Limits)}";
    static string MemText(MemType t) => $"pages: {LimitsText(t.AddrType, t.Limits)}";

    // ---- Types as text ----

    internal static string ValText(StorageType t) => t switch
    {
        PackedType p => p.ToString(),
        RefType { Null: true, Heap: AbsHeap a } => a.Type switch
        {
            AbsHeapType.None => "nullref", AbsHeapType.NoFunc => "nullfuncref", AbsHeapType.NoExn => "nullexnref",
            AbsHeapType.NoExtern => "nullexternref", _ => $"{a}ref",
        },
        RefType r => $"(ref {(r.Null ? "null " : "")}{HeapText(r.Heap)})",
        _ => t.ToString() ?? "?",
    };

    static string HeapText(HeapType h) => h is TypeIdx x ? x.Index.ToString(Inv) : h.ToString() ?? "?";
    static string TypeUseText(TypeUse t) => t is TypeIdx x ? x.Index.ToString(Inv) : t.ToString() ?? "?";

    static string Results(ImmutableArray<ValType> ts) =>
        ts.Length == 1 ? ValText(ts[0]) : $"({string.Join(", ", ts.OrEmpty().Select(ValText))})";

    static string CompText(CompType c) => c switch
    {
        FuncType f => $"({string.Join(", ", f.Params.OrEmpty().Select(ValText))}) -> {Results(f.Results.OrEmpty())}",
        StructType s => $"(struct {string.Join(" ", s.Fields.OrEmpty().Select(FieldText))})",
        ArrayType a => $"(array {FieldText(a.Field)})",
        _ => "?",
    };

    static string FieldText(FieldType f) => f.Mut == Mut.Var ? $"(mut {ValText(f.Type)})" : ValText(f.Type);

    static string SubText(SubType s) =>
        s.Final && s.Supers.IsDefaultOrEmpty ? CompText(s.Comp)
        : $"(sub {(s.Final ? "final " : "")}{string.Join(" ", s.Supers.OrEmpty().Select(TypeUseText))} {CompText(s.Comp)})";

    static string RecText(RecType r) =>
        r.Subs.Length == 1 ? SubText(r.Subs[0]) : $"(rec {string.Join(" ", r.Subs.Select(SubText))})";

    static string BlockTypeText(BlockType? bt) => bt switch
    {
        ValBlockType { Result: null } or null => "",
        ValBlockType { Result: { } t } => " " + ValText(t),
        IdxBlockType x => $" (type {x.TypeIdx})",
        _ => "",
    };

    string ExprText(Expr e) => string.Join(", ", e.Instrs.OrEmpty().Select(InstrText));

    // ---- Disassembly ----

    void Disassembly()
    {
        Line("Code Disassembly:");
        int f0 = ImportCount(ExternKind.Func);
        for (int i = 0; i < trace.Bodies.Count; i++)
        {
            var body = trace.Bodies[i];
            int endEvent = i + 1 < trace.Bodies.Count ? trace.Bodies[i + 1].FirstEvent : trace.Events.Count;
            Line("");
            Line($"{body.Start:x6} func[{f0 + i}]{FuncLabel((uint)(f0 + i))}:");
            var locals = m.Funcs[i].Locals.OrEmpty();
            if (locals.Length > 0) Line($" {"",6}  {"",-27}| locals: {string.Join(", ", locals.Select(l => ValText(l.Type)))}");
            int depth = 0;
            for (int k = body.FirstEvent; k < endEvent; k++)
            {
                var ev = trace.Events[k];
                if (ev.Kind is CodeEventKind.End or CodeEventKind.Delegate) depth = Math.Max(0, depth - 1);
                int indent = ev.Kind is CodeEventKind.Else or CodeEventKind.Catch or CodeEventKind.CatchAll ? depth - 1 : depth;
                Line($" {ev.Offset:x6}: {HexBytes(ev.Offset, ev.EndOffset),-27}| {Indent(indent)}{EventText(ev)}");
                if (ev.Kind == CodeEventKind.Begin) depth++;
            }
        }
    }

    string HexBytes(int from, int to)
    {
        var sb = new StringBuilder();
        for (int p = from; p < to; p++)
        {
            if (sb.Length >= 24) { sb.Append("..."); break; }
            sb.Append(bytes[p].ToString("x2", Inv)).Append(' ');
        }
        return sb.ToString();
    }

    string EventText(CodeEvent ev) => ev.Kind switch
    {
        CodeEventKind.Begin => ev.Opcode switch
        {
            0x02 => "block", 0x03 => "loop", 0x04 => "if", 0x06 => "try", _ => "try_table",
        } + BlockTypeText(ev.Type),
        CodeEventKind.Else => "else",
        CodeEventKind.Catch => $"catch {ev.Index}",
        CodeEventKind.CatchAll => "catch_all",
        CodeEventKind.Delegate => $"delegate {ev.Index}",
        CodeEventKind.End => "end",
        _ => InstrText(ev.Instr!),
    };

    /// <summary>An instruction as the text format writes it (Spec.Text's printer, the one every command uses); a block
    /// instruction by its opening line.</summary>
    string InstrText(Instr instr) => Text.Print(instr, m);
}
