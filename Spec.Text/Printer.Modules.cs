using System.Collections.Immutable;
using System.Text;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.6 Modules (spectec 6.4-text.modules): one method per module field, each in its explicit (unabbreviated) form
// except where the abbreviation denotes exactly the same syntax (a one-type rec group, a plain final subtype).
internal sealed partial class Printer
{
    readonly Module m;
    readonly TextWriter output;
    int indent;
    int line;   // lines written so far: the number of the next line
    /// <summary>When set, where each function body's instructions begin: (function index, position) to line.</summary>
    internal Dictionary<(uint Func, uint Instr), int>? Located { get; init; }

    readonly SubType[] subtypes;
    readonly Space types, funcs, tables, mems, globals, elems, datas, tags;
    readonly Dictionary<uint, ImmutableArray<NameAssoc>> localNames, labelNames, fieldNames;

    /// <summary>A printer of <paramref name="module"/> writing its lines to <paramref name="output"/> as they are made.</summary>
    public Printer(Module module, TextWriter? output = null)
    {
        m = module;
        this.output = output ?? TextWriter.Null;
        subtypes = [.. m.Types.OrEmpty().SelectMany(t => t.Rec.Subs.OrEmpty())];
        var n = m.Names ?? Names.Empty;
        long Count(ExternKind k, int defined) => m.ImportsOf(k).Count() + (long)defined;
        types = Space.Of(n.Types, subtypes.Length, annotatable: true);
        funcs = Space.Of(n.Funcs, Count(ExternKind.Func, m.Funcs.OrEmpty().Length), annotatable: true);
        tables = Space.Of(n.Tables, Count(ExternKind.Table, m.Tables.OrEmpty().Length));
        mems = Space.Of(n.Mems, Count(ExternKind.Mem, m.Mems.OrEmpty().Length));
        globals = Space.Of(n.Globals, Count(ExternKind.Global, m.Globals.OrEmpty().Length));
        tags = Space.Of(n.Tags, Count(ExternKind.Tag, m.Tags.OrEmpty().Length), annotatable: true);
        elems = Space.Of(n.Elems, m.Elems.OrEmpty().Length);
        datas = Space.Of(n.Datas, m.Datas.OrEmpty().Length);
        localNames = ByOuter(n.Locals);
        labelNames = ByOuter(n.Labels);
        fieldNames = ByOuter(n.Fields);
    }

    // Indentation stops growing at this depth, so that deeply nested code prints in linear size.
    const int MaxIndent = 32;
    static readonly string Indentation = new(' ', 2 * MaxIndent);

    void Line(string text)
    {
        output.Write(Indentation.AsSpan(0, 2 * Math.Min(indent, MaxIndent)));
        output.Write(text);
        output.Write('\n');
        line++;
    }

    /// <summary>A line ending in a string of <paramref name="bytes"/>, escaped as it is written: segments and custom sections may be large.</summary>
    void Line(string before, ReadOnlySpan<byte> bytes, string after)
    {
        output.Write(Indentation.AsSpan(0, 2 * Math.Min(indent, MaxIndent)));
        output.Write(before);
        String(output, bytes);
        output.Write(after);
        output.Write('\n');
        line++;
    }

    // Tmodule: (module id? decl*), declarations grouped by kind in index order.
    public void PrintModule()
    {
        var name = m.Names?.Module is not { } mn ? "" : IsPrintableId(mn) ? " " + Id(mn) : Utf8(mn) is not null ? $" (@name {Name(mn)})" : "";
        Line("(module" + name);
        indent++;
        uint typeIdx = 0;
        foreach (var t in m.Types.OrEmpty()) typeIdx = TypeDef(t.Rec, typeIdx);
        var imported = new uint[5]; // per ExternKind: imports come first in each index space
        foreach (var i in m.Imports.OrEmpty()) Import(i, imported[(int)KindOf(i.Type)]++);
        var (importedFuncs, importedTables, importedMems, importedGlobals, importedTags) =
            (imported[(int)ExternKind.Func], imported[(int)ExternKind.Table], imported[(int)ExternKind.Mem],
             imported[(int)ExternKind.Global], imported[(int)ExternKind.Tag]);
        for (var i = 0; i < m.Tags.OrEmpty().Length; i++) Tag(m.Tags[i], importedTags + (uint)i);
        for (var i = 0; i < m.Globals.OrEmpty().Length; i++) Global(m.Globals[i], importedGlobals + (uint)i);
        for (var i = 0; i < m.Mems.OrEmpty().Length; i++) Memory(m.Mems[i], importedMems + (uint)i);
        for (var i = 0; i < m.Tables.OrEmpty().Length; i++) Table(m.Tables[i], importedTables + (uint)i);
        for (var i = 0; i < m.Funcs.OrEmpty().Length; i++) Func(m.Funcs[i], importedFuncs + (uint)i);
        for (var i = 0; i < m.Datas.OrEmpty().Length; i++) Data(m.Datas[i], (uint)i);
        for (var i = 0; i < m.Elems.OrEmpty().Length; i++) Elem(m.Elems[i], (uint)i);
        if (m.Start is { } s) Line($"(start {funcs.Ref(s.Func)})");
        foreach (var e in m.Exports.OrEmpty()) Line($"(export {Name(e.Name)} {ExternIdx(e.Index)})");
        foreach (var c in m.Customs.OrEmpty()) Custom(c);
        indent--;
        Line(")");
    }

    static ExternKind KindOf(ExternType t) => t switch
    {
        FuncExtern => ExternKind.Func, TableExtern => ExternKind.Table, MemExtern => ExternKind.Mem,
        GlobalExtern => ExternKind.Global, _ => ExternKind.Tag,
    };

    // Timport_/plain: (import "module" "name" externtype)
    void Import(Import i, uint index)
    {
        var (kind, space) = i.Type switch
        {
            FuncExtern => ("func", funcs), TableExtern => ("table", tables), MemExtern => ("memory", mems),
            GlobalExtern => ("global", globals), _ => ("tag", tags),
        };
        var desc = i.Type switch
        {
            FuncExtern { Exact: true } f => $"(exact {TypeUse(f.Type)})",
            FuncExtern f => TypeUse(f.Type),
            TableExtern t => TableType(t.Type),
            MemExtern mt => MemType(mt.Type),
            GlobalExtern g => GlobalType(g.Type),
            TagExtern t => TypeUse(t.Type),
            _ => throw new ArgumentException($"unknown extern type {i.Type}"),
        };
        Line($"(import {Name(i.Module)} {Name(i.Name)} ({kind}{space.Bind(index)} {desc}))");
    }

    // Ttypeuse_/base: (type x) followed by the function type's params and results when x denotes one.
    string TypeUse(TypeUse t) => t switch
    {
        TypeIdx x => TypeUse(x.Index, null),
        _ => throw new ArgumentException($"type use {t} is not a type index; only syntactic modules can be printed"),
    };

    string TypeUse(uint x, Space? paramNames)
    {
        var s = $"(type {types.Ref(x)})";
        if (FuncTypeAt(x) is not { } ft) return s;
        var use = new StringBuilder(s);
        for (var i = 0; i < ft.Params.OrEmpty().Length; i++)
            use.Append(" (param").Append(paramNames?.Bind((uint)i) ?? "").Append(' ').Append(ValType(ft.Params[i])).Append(')');
        if (!ft.Results.IsDefaultOrEmpty) use.Append(" (result ").AppendJoin(' ', ft.Results.Select(ValType)).Append(')');
        return use.ToString();
    }

    FuncType? FuncTypeAt(uint x) => x < subtypes.Length && subtypes[x].Comp is FuncType ft ? ft : null;

    // Ttag_: (tag id? typeuse)
    void Tag(Tag t, uint index) => Line($"(tag{tags.Bind(index)} {TypeUse(t.Type)})");

    // Tglobal_: (global id? globaltype expr)
    void Global(Global g, uint index) => Line($"(global{globals.Bind(index)} {GlobalType(g.Type)}{ConstExpr(g.Init)})");

    // Tmem_: (memory id? memtype)
    void Memory(Mem mem, uint index) => Line($"(memory{mems.Bind(index)} {MemType(mem.Type)})");

    // Ttable_/plain: (table id? tabletype expr), the init expression always explicit.
    void Table(Table t, uint index) => Line($"(table{tables.Bind(index)} {TableType(t.Type)}{ConstExpr(t.Init)})");

    // Tfunc_: (func id? typeuse local* expr), parameters and locals named from the function's local names.
    void Func(Func f, uint index)
    {
        var ft = FuncTypeAt(f.TypeIdx);
        var nparams = ft?.Params.OrEmpty().Length ?? 0;
        var locals = Space.Of(Inner(localNames, index), nparams + (long)f.Locals.OrEmpty().Length, annotatable: true);
        Line($"(func{funcs.Bind(index)} {TypeUse(f.TypeIdx, locals)}");
        indent++;
        for (var i = 0; i < f.Locals.OrEmpty().Length; i++)
            Line($"(local{locals.Bind((uint)(nparams + i))} {ValType(f.Locals[i].Type)})");
        var labels = Inner(labelNames, index);
        new Body(this, locals, labels) { Hints = BranchHintsOf(index), Func = index }.Instrs(f.Body.Instrs);
        indent--;
        Line(")");
    }

    // Tdata_: (data id? datastring) | (data id? (memory x) (offset expr) datastring)
    void Data(Data d, uint index)
    {
        var mode = d.Mode switch
        {
            DataActive a => $" (memory {mems.Ref(a.Mem)}) (offset{ConstExpr(a.Offset)})",
            _ => "",
        };
        Line($"(data{datas.Bind(index)}{mode} ", d.Init.OrEmpty().AsSpan(), ")");
    }

    // Telem_/plain: passive, active ((table x) (offset expr)) or declare, then reftype (item expr)*.
    void Elem(Elem e, uint index)
    {
        var mode = e.Mode switch
        {
            ElemActive a => $" (table {tables.Ref(a.Table)}) (offset{ConstExpr(a.Offset)})",
            ElemDeclare => " declare",
            _ => "",
        };
        var items = string.Concat(e.Inits.OrEmpty().Select(x => $" (item{ConstExpr(x)})"));
        Line($"(elem{elems.Bind(index)}{mode} {RefType(e.Type)}{items})");
    }

    // Texternidx_: (func x) | (table x) | (memory x) | (global x) | (tag x)
    string ExternIdx(ExternIdx x) => x.Kind switch
    {
        ExternKind.Func => $"(func {funcs.Ref(x.Index)})",
        ExternKind.Table => $"(table {tables.Ref(x.Index)})",
        ExternKind.Mem => $"(memory {mems.Ref(x.Index)})",
        ExternKind.Global => $"(global {globals.Ref(x.Index)})",
        _ => $"(tag {tags.Ref(x.Index)})",
    };

    // Custom sections as @custom annotations (appendix, custom annotations), placed explicitly.
    void Custom(CustomSection c)
    {
        var place = c.After == SectionId.Custom ? "(before first)" : $"(after {SectionKeyword(c.After)})";
        Line($"(@custom {Name(c.Name)} {place} ", c.Content.OrEmpty().AsSpan(), ")");
    }

    static string SectionKeyword(SectionId id) => id switch
    {
        SectionId.Type => "type", SectionId.Import => "import", SectionId.Function => "func",
        SectionId.Table => "table", SectionId.Memory => "memory", SectionId.Global => "global",
        SectionId.Export => "export", SectionId.Start => "start", SectionId.Element => "elem",
        SectionId.Code => "code", SectionId.Data => "data", SectionId.DataCount => "datacount",
        SectionId.Tag => "tag", _ => "last",
    };

    /// <summary>
    /// A constant expression as folded plain instructions, " (i32.const 1) (i32.const 2) (i32.add)", the form
    /// every position taking an expression (global, table, offset, item) accepts; block instructions stay flat.
    /// </summary>
    string ConstExpr(Expr e) => new Body(this, Space.None, []).Inline(e.Instrs.OrEmpty());
}
