// Performance-critical: the decoder reads a span with an explicit cursor, imperatively.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.BinaryFormat;

/// <summary>Where the disassembler finds each section and function body.</summary>
internal readonly record struct SectionSpan(byte Id, int Start, int HeaderStart, int End, string? CustomName);
internal readonly record struct BodySpan(int Start, int End, int FirstEvent);

// §5.5 Modules (spectec 5.4-binary.modules). Sections are read from one cursor over the whole module, as the
// grammar does: a section's declared size is checked when it ends ("section size mismatch"), and every length
// is bounded by the bytes left in the module ("length out of bounds").
internal ref partial struct Decoder
{
    /// <summary>An implementation limit (spec appendix): locals per function, so a tiny input cannot claim billions.</summary>
    internal const int MaxLocals = 50_000;

    static readonly Local[] SharedLocals = [new(Syntax.ValType.I32), new(Syntax.ValType.I64), new(Syntax.ValType.F32), new(Syntax.ValType.F64), new(Syntax.ValType.V128)];

    internal sealed class Trace
    {
        internal readonly List<SectionSpan> Sections = new();
        internal readonly List<BodySpan> Bodies = new();
        internal readonly List<CodeEvent> Events = new();
    }

    internal static Module DecodeModule(ReadOnlySpan<byte> bytes, Trace? trace, Features? features = null)
    {
        var d = new Decoder(bytes, new DecodeState { Features = features ?? Features.Default });
        return d.Module(trace);
    }

    /// <summary>
    /// Where each function body of the code section begins (after its size), read from the section sizes alone without
    /// decoding anything else: what a backtrace needs of a module already decoded. Throws <see cref="DecodeException"/>
    /// if the sizes do not hold together.
    /// </summary>
    internal static ImmutableArray<int> BodyStarts(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8) throw Error("unexpected end", bytes.Length);
        var d = new Decoder(bytes, new DecodeState()) { _p = 8 };
        while (!d.AtEnd)
        {
            byte id = d._b[d._p++];
            int size = d.Len(), end = d._p + size;
            if (id != (byte)SectionId.Code) { d._p = end; continue; }
            uint n = d.Count();
            var starts = ImmutableArray.CreateBuilder<int>((int)Math.Min(n, (uint)d.Remaining));
            for (uint i = 0; i < n; i++)
            {
                int body = d.Len();
                starts.Add(d._p);
                d._p += body;
            }
            return starts.DrainToImmutable();
        }
        return [];
    }

    // Bsection_(N, X): id, size, contents; Bmodule: magic, version, sections in order with custom sections anywhere.
    Module Module(Trace? trace)
    {
        // Bmagic, Bversion
        if (_b.Length < 4) throw Error("unexpected end", _b.Length);
        if (_b[0] != 0x00 || _b[1] != 0x61 || _b[2] != 0x73 || _b[3] != 0x6D) throw Error("magic header not detected", 0);
        if (_b.Length < 8) throw Error("unexpected end", _b.Length);
        if (_b[4] != 0x01 || _b[5] != 0 || _b[6] != 0 || _b[7] != 0) throw Error("unknown binary version", 4);
        _p = 8;

        ImmutableArray<TypeDef> types = [];
        ImmutableArray<Import> imports = [];
        ImmutableArray<uint> funcTypes = [];
        ImmutableArray<Table> tables = [];
        ImmutableArray<Mem> mems = [];
        ImmutableArray<Tag> tags = [];
        ImmutableArray<Global> globals = [];
        ImmutableArray<Export> exports = [];
        Start? start = null;
        ImmutableArray<Elem> elems = [];
        uint? dataCount = null;
        (ImmutableArray<Local>, Expr)[] codes = [];
        ImmutableArray<Data> datas = [];
        var customs = ImmutableArray.CreateBuilder<CustomSection>();
        Names? names = null;
        bool funcsUseData = false;
        // A branch hint section before the code: its content, where it stands among the custom sections, what preceded it.
        byte[]? hintSection = null;
        int hintCustomIndex = 0;
        var hintAfter = SectionId.Custom;
        Trace? codeTrace = null;

        var last = SectionId.Custom;
        int lastOrder = 0;
        while (!AtEnd)
        {
            int headerAt = _p;
            byte id = _b[_p];
            if (id > 13) throw Error("malformed section id", headerAt);
            if (id != 0)
            {
                int order = Order((SectionId)id);
                if (order <= lastOrder) throw Error("unexpected content after last section", headerAt);
                lastOrder = order;
                last = (SectionId)id;
            }
            _p++;
            if (AtEnd) throw Error("unexpected end", _p);
            int size = Len();
            int begin = _p, end = begin + size;
            if (id == 0)
            {
                // Bcustomsec: a name, then bytes up to the section's end.
                string name = Name();
                if (_p > end) throw Error("unexpected end", end);
                var content = _b[_p..end];
                _p = end;
                trace?.Sections.Add(new SectionSpan(id, begin, headerAt, end, name));
                if (name == "name") names ??= NameSection(content);
                else if (name == Encoder.BranchHintSectionName && hintSection is null && lastOrder < Order(SectionId.Code))
                    (hintSection, hintCustomIndex, hintAfter) = (content.ToArray(), customs.Count, last);
                else customs.Add(new CustomSection(name, ImmutableArray.Create(content), last));
                continue;
            }
            // The disassembler shows function bodies only; branch hints need where their instructions start.
            if (id == (byte)SectionId.Code) codeTrace = trace ?? (hintSection is null ? null : new Trace());
            _st.Trace = id == (byte)SectionId.Code ? codeTrace?.Events : null;
            switch ((SectionId)id)
            {
                case SectionId.Type: types = List(static (ref Decoder d) => new TypeDef(d.RecType())); break;
                case SectionId.Import: imports = List(static (ref Decoder d) => d.Import()); break;
                case SectionId.Function: funcTypes = List(static (ref Decoder d) => d.U32()); break;
                case SectionId.Table: tables = List(static (ref Decoder d) => d.Table()); break;
                case SectionId.Memory: mems = List(static (ref Decoder d) => new Mem(d.MemType())); break;
                case SectionId.Tag: tags = List(static (ref Decoder d) => new Tag(d.TagType())); break;
                case SectionId.Global: globals = List(static (ref Decoder d) => d.Global()); break;
                case SectionId.Export: exports = List(static (ref Decoder d) => d.Export()); break;
                case SectionId.Start: start = new Start(U32()); break;
                case SectionId.Element: elems = List(static (ref Decoder d) => d.Elem()); break;
                case SectionId.DataCount: dataCount = U32(); break;
                case SectionId.Code:
                {
                    // $dataidx_funcs: only the functions' data indices call for a data count section.
                    _st.UsesDataIndex = false;
                    uint n = Count();
                    codes = Alloc<(ImmutableArray<Local>, Expr)>(n);
                    for (uint i = 0; i < n; i++) codes[i] = Code(codeTrace);
                    funcsUseData = _st.UsesDataIndex;
                    break;
                }
                case SectionId.Data: datas = List(static (ref Decoder d) => d.Data()); break;
            }
            _st.Trace = null;
            if (_p != end) throw Error("section size mismatch", end);
            trace?.Sections.Add(new SectionSpan(id, begin, headerAt, end, null));
        }

        if (funcTypes.Length != codes.Length) throw Error("function and code section have inconsistent lengths", _p);
        if (dataCount is { } n2 && n2 != datas.Length) throw Error("data count and data section have inconsistent lengths", _p);
        if (dataCount is null && funcsUseData) throw Error("data count section required", _p);

        var branchHints = ImmutableArray<FuncBranchHints>.Empty;
        if (hintSection is not null)
        {
            uint importedFuncs = (uint)imports.Count(i => i.Type is FuncExtern);
            if (BranchHintEntries(hintSection) is { } entries && codeTrace is not null
                && ResolveBranchHints(entries, codeTrace, importedFuncs) is { } resolved)
                branchHints = resolved;
            else
                customs.Insert(hintCustomIndex, new CustomSection(Encoder.BranchHintSectionName, ImmutableArray.Create(hintSection), hintAfter));
        }

        var funcs = new Func[codes.Length];
        for (int i = 0; i < funcs.Length; i++) funcs[i] = new Func(funcTypes[i], codes[i].Item1, codes[i].Item2);

        return new Module(types, imports, tags, globals, mems, tables, ImmutableCollectionsMarshal.AsImmutableArray(funcs), datas, elems, start, exports)
        {
            Names = names ?? Syntax.Names.Empty,
            Customs = customs.ToImmutable(),
            BranchHints = branchHints,
        };
    }

    /// <summary>The position of a section in the module grammar (the data count section precedes code).</summary>
    internal static int Order(SectionId id) => id switch
    {
        SectionId.Type => 1, SectionId.Import => 2, SectionId.Function => 3, SectionId.Table => 4,
        SectionId.Memory => 5, SectionId.Tag => 6, SectionId.Global => 7, SectionId.Export => 8,
        SectionId.Start => 9, SectionId.Element => 10, SectionId.DataCount => 11, SectionId.Code => 12,
        SectionId.Data => 13, _ => 0,
    };

    internal delegate T Item<T>(ref Decoder d);

    // Blist(X)
    ImmutableArray<T> List<T>(Item<T> item)
    {
        uint n = Count();
        if (n == 0) return [];
        var a = Alloc<T>(n);
        for (uint i = 0; i < n; i++) a[i] = item(ref this);
        return ImmutableCollectionsMarshal.AsImmutableArray(a);
    }

    // Bimport
    Import Import()
    {
        string m = Name();
        string nm = Name();
        return new Import(m, nm, ExternType());
    }

    // Btable: the short form's init is REF.NULL of the table's heap type.
    Table Table()
    {
        if (Peek() != 0x40)
        {
            var tt = TableType();
            return new Table(tt, new Expr([new RefNull(tt.ElemType.Heap)]));
        }
        _p++;
        int at = _p;
        if (Byte() != 0x00) throw Error("zero byte expected", at);
        var t = TableType();
        return new Table(t, Expr());
    }

    // Bglobal
    Global Global()
    {
        var gt = GlobalType();
        return new Global(gt, Expr());
    }

    // Bexport, Bexternidx
    Export Export()
    {
        string nm = Name();
        int at = _p;
        var kind = Byte() switch
        {
            0x00 => ExternKind.Func,
            0x01 => ExternKind.Table,
            0x02 => ExternKind.Mem,
            0x03 => ExternKind.Global,
            0x04 => ExternKind.Tag,
            _ => throw Error("malformed export kind", at),
        };
        return new Export(nm, new ExternIdx(kind, U32()));
    }

    static readonly RefType FuncRefNonNull = new(false, Syntax.HeapType.Func);

    // Belemkind
    RefType ElemKind()
    {
        int at = _p;
        if (Byte() != 0x00) throw Error("malformed element kind", at);
        return FuncRefNonNull;
    }

    ImmutableArray<Expr> FuncIndices() => List(static (ref Decoder d) => new Expr([new RefFunc(d.U32())]));
    ImmutableArray<Expr> Exprs() => List(static (ref Decoder d) => d.Expr());

    // Belem: the eight forms, by the flags' bits (passive-or-declarative, explicit table, expressions).
    Elem Elem()
    {
        int at = _p;
        uint flags = U32();
        switch (flags)
        {
            case 0: { var e = Expr(); return new Elem(FuncRefNonNull, FuncIndices(), new ElemActive(0, e)); }
            case 1: { var rt = ElemKind(); return new Elem(rt, FuncIndices(), ElemPassive.I); }
            case 2:
            {
                uint x = U32();
                var e = Expr();
                var rt = ElemKind();
                return new Elem(rt, FuncIndices(), new ElemActive(x, e));
            }
            case 3: { var rt = ElemKind(); return new Elem(rt, FuncIndices(), ElemDeclare.I); }
            case 4: { var e = Expr(); return new Elem(Syntax.RefType.FuncRef, Exprs(), new ElemActive(0, e)); }
            case 5: { var rt = RefType(); return new Elem(rt, Exprs(), ElemPassive.I); }
            case 6:
            {
                uint x = U32();
                var e = Expr();
                var rt = RefType();
                return new Elem(rt, Exprs(), new ElemActive(x, e));
            }
            case 7: { var rt = RefType(); return new Elem(rt, Exprs(), ElemDeclare.I); }
            default: throw Error("malformed elements segment kind", at);
        }
    }

    // Bcode, Bfunc, Blocals: the size must match the function's bytes; locals are bounded by MaxLocals.
    (ImmutableArray<Local>, Expr) Code(Trace? trace)
    {
        int size = Len();
        int begin = _p, end = begin + size;
        uint groups = Count();
        long total = 0;
        var locals = ImmutableArray.CreateBuilder<Local>();
        for (uint i = 0; i < groups; i++)
        {
            int at = _p;
            uint n = U32();
            var t = ValType();
            total += n;
            if (total > MaxLocals) throw Error("too many locals", at);
            var local = t switch
            {
                NumValType nt => SharedLocals[(int)nt.Type],
                VecValType => SharedLocals[4],
                _ => new Local(t),
            };
            for (uint k = 0; k < n; k++) locals.Add(local);
        }
        int firstEvent = trace?.Events.Count ?? 0;
        var body = Expr();
        if (_p != end) throw Error("section size mismatch", end);
        trace?.Bodies.Add(new BodySpan(begin, end, firstEvent));
        return (locals.DrainToImmutable(), body);
    }

    // Bdata
    Data Data()
    {
        int at = _p;
        uint flags = U32();
        switch (flags)
        {
            case 0: { var e = Expr(); return new Data(ByteList(), new DataActive(0, e)); }
            case 1: return new Data(ByteList(), DataPassive.I);
            case 2:
            {
                uint x = U32();
                var e = Expr();
                return new Data(ByteList(), new DataActive(x, e));
            }
            default: throw Error("malformed data segment kind", at);
        }
    }

    // Blist(Bbyte)
    ImmutableArray<byte> ByteList()
    {
        uint n = Count();
        if (n > (uint)Remaining) throw Eof();
        return ImmutableArray.Create(Bytes((int)n));
    }
}
