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
    internal const string Usage = """
        usage: wasmspec dump FILE.wasm
          the header, every section with its entries, and each function disassembled with byte offsets
        """;

    public static int Run(string[] args)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        return Run(args, stdout);
    }

    internal static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine($"wasmspec dump: one module file is needed\n{Usage}");
            return ExitStatus.Usage;
        }
        byte[] bytes;
        try { bytes = ModuleFiles.Read(args[0]); }
        catch (UnreadableFile e)
        {
            Console.Error.WriteLine($"wasmspec dump: {e.Message}");
            return ExitStatus.Usage;
        }
        var trace = new Decoder.Trace();
        Module m;
        try { m = Decoder.DecodeModule(bytes, trace); }
        catch (DecodeException e)
        {
            Console.Error.WriteLine(bytes.Length == 0 ? $"{args[0]}: the file is empty, not a WebAssembly module"
                : !ModuleFiles.IsBinary(bytes) ? $"{args[0]}: not a binary module (no \\0asm magic); dump reads the binary format only"
                : $"{args[0]}: malformed: 0x{e.Offset:x}: {e.Reason}");
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

    static readonly string[] LoadNames =
    [
        "i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
        "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u",
        "i32.store", "i64.store", "f32.store", "f64.store", "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32",
    ];

    static string MemArgText(uint mem, MemArg a) =>
        $"{(mem != 0 ? $"{mem} " : "")}offset={a.Offset} align={1UL << (int)Math.Min(a.Align, 63)}";

    static string SzBits(Sz s) => ((int)s).ToString(Inv);

    string InstrText(Instr instr)
    {
        if (Opcodes.ByInstr.TryGetValue(instr, out var e)) return e.Name;
        return instr switch
        {
            Block b => "block" + BlockTypeText(b.Type),
            Loop l => "loop" + BlockTypeText(l.Type),
            If i => "if" + BlockTypeText(i.Type),
            TryTable t => "try_table" + BlockTypeText(t.Type),
            LegacyTry t => "try" + BlockTypeText(t.Type),
            LegacyTryDelegate t => "try" + BlockTypeText(t.Type),
            LegacyRethrow r => $"rethrow {r.Label}",
            Throw t => $"throw {t.Tag}",
            Br b => $"br {b.Label}",
            BrIf b => $"br_if {b.Label}",
            BrTable b => $"br_table {string.Join(" ", b.Labels.OrEmpty())} {b.Default}",
            BrOnNull b => $"br_on_null {b.Label}",
            BrOnNonNull b => $"br_on_non_null {b.Label}",
            BrOnCast b => $"br_on_cast {b.Label} {ValText(b.From)} {ValText(b.To)}",
            BrOnCastFail b => $"br_on_cast_fail {b.Label} {ValText(b.From)} {ValText(b.To)}",
            Call c => $"call {c.Func}{FuncLabel(c.Func)}",
            ReturnCall c => $"return_call {c.Func}{FuncLabel(c.Func)}",
            CallIndirect c => $"call_indirect {c.Table} (type {c.TypeIdx})",
            ReturnCallIndirect c => $"return_call_indirect {c.Table} (type {c.TypeIdx})",
            CallRef c => $"call_ref {c.TypeIdx}",
            ReturnCallRef c => $"return_call_ref {c.TypeIdx}",
            Select { Types: { } ts } => $"select (result {string.Join(" ", ts.Select(ValText))})",
            LocalGet x => $"local.get {x.Local}",
            LocalSet x => $"local.set {x.Local}",
            LocalTee x => $"local.tee {x.Local}",
            GlobalGet x => $"global.get {x.Global}",
            GlobalSet x => $"global.set {x.Global}",
            TableGet x => $"table.get {x.Table}",
            TableSet x => $"table.set {x.Table}",
            TableSize x => $"table.size {x.Table}",
            TableGrow x => $"table.grow {x.Table}",
            TableFill x => $"table.fill {x.Table}",
            TableCopy x => $"table.copy {x.Dst} {x.Src}",
            TableInit x => $"table.init {x.Table} {x.Elem}",
            ElemDrop x => $"elem.drop {x.Elem}",
            Load l => $"{LoadNames[EncoderCodes.Load(l) - 0x28]} {MemArgText(l.Mem, l.Arg)}",
            Store s => $"{LoadNames[EncoderCodes.Store(s) - 0x28]} {MemArgText(s.Mem, s.Arg)}",
            MemorySize x => $"memory.size {x.Mem}",
            MemoryGrow x => $"memory.grow {x.Mem}",
            MemoryFill x => $"memory.fill {x.Mem}",
            MemoryCopy x => $"memory.copy {x.Dst} {x.Src}",
            MemoryInit x => $"memory.init {x.Mem} {x.Data}",
            DataDrop x => $"data.drop {x.Data}",
            Const c => c.Type switch
            {
                NumType.I32 => $"i32.const {(int)(uint)c.Bits}",
                NumType.I64 => $"i64.const {(long)c.Bits}",
                NumType.F32 => $"f32.const {FloatText(BitConverter.UInt32BitsToSingle((uint)c.Bits), c.Bits)}",
                _ => $"f64.const {FloatText(BitConverter.UInt64BitsToDouble(c.Bits), c.Bits)}",
            },
            RefNull r => $"ref.null {HeapText(r.Type)}",
            RefFunc r => $"ref.func {r.Func}{FuncLabel(r.Func)}",
            RefTest r => $"ref.test {ValText(r.Type)}",
            RefCast r => $"ref.cast {ValText(r.Type)}",
            StructNew s => $"struct.new {s.TypeIdx}",
            StructNewDefault s => $"struct.new_default {s.TypeIdx}",
            StructGet s => $"struct.get{SxText(s.Sx)} {s.TypeIdx} {s.Field}",
            StructSet s => $"struct.set {s.TypeIdx} {s.Field}",
            ArrayNew a => $"array.new {a.TypeIdx}",
            ArrayNewDefault a => $"array.new_default {a.TypeIdx}",
            ArrayNewFixed a => $"array.new_fixed {a.TypeIdx} {a.Length}",
            ArrayNewData a => $"array.new_data {a.TypeIdx} {a.Data}",
            ArrayNewElem a => $"array.new_elem {a.TypeIdx} {a.Elem}",
            ArrayGet a => $"array.get{SxText(a.Sx)} {a.TypeIdx}",
            ArraySet a => $"array.set {a.TypeIdx}",
            ArrayFill a => $"array.fill {a.TypeIdx}",
            ArrayCopy a => $"array.copy {a.Dst} {a.Src}",
            ArrayInitData a => $"array.init_data {a.TypeIdx} {a.Data}",
            ArrayInitElem a => $"array.init_elem {a.TypeIdx} {a.Elem}",
            VLoad v => $"v128.load{v.Op switch
            {
                null => "",
                VLoadShape s => $"{SzBits(s.Size)}x{s.Lanes}{SxText(s.Sx)}",
                VLoadSplat s => $"{SzBits(s.Size)}_splat",
                VLoadZero z => $"{SzBits(z.Size)}_zero",
                _ => "?",
            }} {MemArgText(v.Mem, v.Arg)}",
            VStore v => $"v128.store {MemArgText(v.Mem, v.Arg)}",
            VLoadLane v => $"v128.load{SzBits(v.Size)}_lane {MemArgText(v.Mem, v.Arg)} {v.Lane}",
            VStoreLane v => $"v128.store{SzBits(v.Size)}_lane {MemArgText(v.Mem, v.Arg)} {v.Lane}",
            VConst v => $"v128.const 0x{(uint)v.Value.Lo:x8} 0x{(uint)(v.Value.Lo >> 32):x8} 0x{(uint)v.Value.Hi:x8} 0x{(uint)(v.Value.Hi >> 32):x8}",
            VShuffle v => $"i8x16.shuffle {string.Join(" ", v.Lanes)}",
            VExtractLane v => $"{v.Shape}.extract_lane{SxText(v.Sx)} {v.Lane}",
            VReplaceLane v => $"{v.Shape}.replace_lane {v.Lane}",
            _ => instr.GetType().Name,
        };
    }

    static string SxText(Sx? sx) => sx switch { Sx.S => "_s", Sx.U => "_u", _ => "" };

    static string FloatText(double v, ulong bits) =>
        double.IsNaN(v) ? $"nan (bits 0x{bits:x})" : v.ToString("R", Inv);
}
