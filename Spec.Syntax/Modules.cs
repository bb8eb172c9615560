using System.Collections.Immutable;

namespace Spec.Syntax;

// §2.5 Modules (spectec 1.4-syntax.modules).

/// <summary>type ::= TYPE rectype</summary>
public sealed record TypeDef(RecType Rec);

/// <summary>import ::= IMPORT name name externtype</summary>
public sealed record Import(string Module, string Name, ExternType Type);

/// <summary>tag ::= TAG tagtype</summary>
public sealed record Tag(TypeUse Type);

/// <summary>global ::= GLOBAL globaltype expr</summary>
public sealed record Global(GlobalType Type, Expr Init);

/// <summary>mem ::= MEMORY memtype</summary>
public sealed record Mem(MemType Type);

/// <summary>table ::= TABLE tabletype expr</summary>
public sealed record Table(TableType Type, Expr Init);

/// <summary>local ::= LOCAL valtype</summary>
public sealed record Local(ValType Type);

/// <summary>func ::= FUNC typeidx local* expr</summary>
public sealed record Func(uint TypeIdx, ImmutableArray<Local> Locals, Expr Body)
{
    public bool Equals(Func? o) => o is not null && TypeIdx == o.TypeIdx && Sequences.Equal(Locals, o.Locals) && Body.Equals(o.Body);
    public override int GetHashCode() => HashCode.Combine(TypeIdx, Sequences.Hash(Locals), Body);
}

/// <summary>datamode ::= ACTIVE memidx expr | PASSIVE</summary>
public abstract record DataMode;
public sealed record DataActive(uint Mem, Expr Offset) : DataMode;
public sealed record DataPassive : DataMode { public static readonly DataPassive I = new(); }

/// <summary>data ::= DATA byte* datamode</summary>
public sealed record Data(ImmutableArray<byte> Init, DataMode Mode)
{
    public bool Equals(Data? o) => o is not null && Mode.Equals(o.Mode) && Sequences.Equal(Init, o.Init);
    public override int GetHashCode() => HashCode.Combine(Mode, Init.IsDefault ? 0 : Init.Length);
}

/// <summary>elemmode ::= ACTIVE tableidx expr | PASSIVE | DECLARE</summary>
public abstract record ElemMode;
public sealed record ElemActive(uint Table, Expr Offset) : ElemMode;
public sealed record ElemPassive : ElemMode { public static readonly ElemPassive I = new(); }
public sealed record ElemDeclare : ElemMode { public static readonly ElemDeclare I = new(); }

/// <summary>elem ::= ELEM reftype expr* elemmode</summary>
public sealed record Elem(RefType Type, ImmutableArray<Expr> Inits, ElemMode Mode)
{
    public bool Equals(Elem? o) => o is not null && Type.Equals(o.Type) && Mode.Equals(o.Mode) && Sequences.Equal(Inits, o.Inits);
    public override int GetHashCode() => HashCode.Combine(Type, Mode, Sequences.Hash(Inits));
}

/// <summary>start ::= START funcidx</summary>
public sealed record Start(uint Func);

/// <summary>export ::= EXPORT name externidx</summary>
public sealed record Export(string Name, ExternIdx Index);

/// <summary>Section ids of the binary format (§5.5.2); also where custom sections sit among the others.</summary>
public enum SectionId : byte
{
    Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6, Export = 7,
    Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13,
}

/// <summary>A custom section other than "name", kept with its place: after the last section of id <paramref name="After"/> (Custom: before all).</summary>
public sealed record CustomSection(string Name, ImmutableArray<byte> Content, SectionId After)
{
    public bool Equals(CustomSection? o) => o is not null && Name == o.Name && After == o.After && Sequences.Equal(Content, o.Content);
    public override int GetHashCode() => HashCode.Combine(Name, After, Content.IsDefault ? 0 : Content.Length);
}

/// <summary>namemap ::= (idx name)* in increasing index order.</summary>
public readonly record struct NameAssoc(uint Index, string Name);

/// <summary>indirectnamemap ::= (idx namemap)* in increasing index order.</summary>
public sealed record IndirectNameAssoc(uint Index, ImmutableArray<NameAssoc> Names)
{
    public bool Equals(IndirectNameAssoc? o) => o is not null && Index == o.Index && Sequences.Equal(Names, o.Names);
    public override int GetHashCode() => HashCode.Combine(Index, Sequences.Hash(Names));
}

/// <summary>
/// The name section (appendix, custom sections): debug names for traces and backtraces. Each map is sorted by index.
/// Labels are indexed by function, then by the order in which their blocks begin.
/// </summary>
public sealed record Names(
    string? Module,
    ImmutableArray<NameAssoc> Funcs,
    ImmutableArray<IndirectNameAssoc> Locals,
    ImmutableArray<IndirectNameAssoc> Labels,
    ImmutableArray<NameAssoc> Types,
    ImmutableArray<NameAssoc> Tables,
    ImmutableArray<NameAssoc> Mems,
    ImmutableArray<NameAssoc> Globals,
    ImmutableArray<NameAssoc> Elems,
    ImmutableArray<NameAssoc> Datas,
    ImmutableArray<IndirectNameAssoc> Fields,
    ImmutableArray<NameAssoc> Tags)
{
    public static readonly Names Empty = new(null, [], [], [], [], [], [], [], [], [], [], []);

    public bool IsEmpty => Module is null && Funcs.IsDefaultOrEmpty && Locals.IsDefaultOrEmpty && Labels.IsDefaultOrEmpty
        && Types.IsDefaultOrEmpty && Tables.IsDefaultOrEmpty && Mems.IsDefaultOrEmpty && Globals.IsDefaultOrEmpty
        && Elems.IsDefaultOrEmpty && Datas.IsDefaultOrEmpty && Fields.IsDefaultOrEmpty && Tags.IsDefaultOrEmpty;

    public bool Equals(Names? o) => o is not null && Module == o.Module
        && Sequences.Equal(Funcs, o.Funcs) && Sequences.Equal(Locals, o.Locals) && Sequences.Equal(Labels, o.Labels)
        && Sequences.Equal(Types, o.Types) && Sequences.Equal(Tables, o.Tables) && Sequences.Equal(Mems, o.Mems)
        && Sequences.Equal(Globals, o.Globals) && Sequences.Equal(Elems, o.Elems) && Sequences.Equal(Datas, o.Datas)
        && Sequences.Equal(Fields, o.Fields) && Sequences.Equal(Tags, o.Tags);

    public override int GetHashCode() => HashCode.Combine(Module, Sequences.Hash(Funcs), Sequences.Hash(Locals), Sequences.Hash(Types));

    /// <summary>The name of function <paramref name="index"/>, if the name section gives one.</summary>
    public string? FuncName(uint index)
    {
        foreach (var a in Funcs.OrEmpty()) if (a.Index == index) return a.Name;
        return null;
    }
}

/// <summary>
/// module ::= MODULE type* import* tag* global* mem* table* func* data* elem* start? export*,
/// plus what the binary and text formats carry beside the abstract syntax: debug names and other custom sections.
/// </summary>
public sealed record Module(
    ImmutableArray<TypeDef> Types,
    ImmutableArray<Import> Imports,
    ImmutableArray<Tag> Tags,
    ImmutableArray<Global> Globals,
    ImmutableArray<Mem> Mems,
    ImmutableArray<Table> Tables,
    ImmutableArray<Func> Funcs,
    ImmutableArray<Data> Datas,
    ImmutableArray<Elem> Elems,
    Start? Start,
    ImmutableArray<Export> Exports)
{
    public static readonly Module Empty = new([], [], [], [], [], [], [], [], [], null, []);

    public Names Names { get; init; } = Names.Empty;
    public ImmutableArray<CustomSection> Customs { get; init; } = [];
    /// <summary>The branch hints (code metadata "branch_hint"), by increasing function index.</summary>
    public ImmutableArray<FuncBranchHints> BranchHints { get; init; } = [];

    public bool Equals(Module? o) => o is not null
        && Sequences.Equal(Types, o.Types) && Sequences.Equal(Imports, o.Imports) && Sequences.Equal(Tags, o.Tags)
        && Sequences.Equal(Globals, o.Globals) && Sequences.Equal(Mems, o.Mems) && Sequences.Equal(Tables, o.Tables)
        && Sequences.Equal(Funcs, o.Funcs) && Sequences.Equal(Datas, o.Datas) && Sequences.Equal(Elems, o.Elems)
        && Equals(Start, o.Start) && Sequences.Equal(Exports, o.Exports)
        && Names.Equals(o.Names) && Sequences.Equal(Customs, o.Customs) && Sequences.Equal(BranchHints, o.BranchHints);

    public override int GetHashCode() => HashCode.Combine(Sequences.Hash(Types), Sequences.Hash(Imports), Sequences.Hash(Funcs), Sequences.Hash(Exports));

    /// <summary>The imports of one kind, in order: they come first in that kind's index space.</summary>
    public IEnumerable<Import> ImportsOf(ExternKind kind) => Imports.Where(i => i.Type switch
    {
        FuncExtern => kind == ExternKind.Func,
        TableExtern => kind == ExternKind.Table,
        MemExtern => kind == ExternKind.Mem,
        GlobalExtern => kind == ExternKind.Global,
        TagExtern => kind == ExternKind.Tag,
        _ => false,
    });
}
