using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.6 Modules (spectec 6.4-text.modules). Two passes over the fields: the first binds every module-level
// identifier (so that references may point forward), the second parses the type definitions and then
// all other fields in order, expanding the abbreviations (inline imports/exports, inline elem/data).

internal sealed partial class Parser
{
    private readonly List<Import> imports = [];
    private readonly List<Tag> tagList = [];
    private readonly List<Global> globalList = [];
    private readonly List<Mem> memList = [];
    private readonly List<Table> tableList = [];
    private readonly List<Func> funcList = [];
    private readonly List<Data> dataList = [];
    private readonly List<Elem> elemList = [];
    private readonly List<Export> exports = [];
    private readonly List<IndirectNameAssoc> localNames = [];
    private Start? start;

    // Index counters of the second pass, per space (imports and definitions share a space).
    private uint nFuncs, nTables, nMems, nGlobals, nTags;

    /// <summary>The kind of the first definition seen: an import after it is malformed ($ordered).</summary>
    private string? firstDefinition;

    /// <summary>Tmodule: "(" "module" id? decl* ")" or, abbreviated, decl* alone; then the end of the input.</summary>
    internal Module TopLevel()
    {
        var m = IsForm("module") ? Module() : ModuleFields(null);
        ExpectEnd();
        return m;
    }

    internal void ExpectEnd()
    {
        if (Peek().Kind != TokenKind.Eof) throw Unexpected();
    }

    /// <summary>Tmodule/plain: "(" "module" id? decl* ")".</summary>
    internal Module Module(bool allowDefinition = false)
    {
        ExpectLParen();
        ExpectKeyword("module");
        if (allowDefinition && IsKeyword("definition")) pos++;
        var name = OptId();
        var m = ModuleFields(name);
        ExpectRParen();
        return m;
    }

    /// <summary>Tdecl_(I)*: the fields up to a ")" or the end of input, which is not consumed.</summary>
    internal Module ModuleFields(string? name)
    {
        int begin = pos;
        name = NameAnnotation("module") ?? name;
        BindIdentifiers();

        // Type definitions come first: every later type use may need them (and implicit types follow them).
        while (Peek().Kind == TokenKind.LParen)
        {
            if (IsForm("type") || IsForm("rec")) RecType();
            else SkipForm();
        }
        pos = begin;
        while (Peek().Kind == TokenKind.LParen)
        {
            CustomAnnotations();
            if (IsForm("type") || IsForm("rec")) { SkipForm(); continue; }
            Decl();
        }
        CustomAnnotations();
        if (Peek().Kind is not (TokenKind.RParen or TokenKind.Eof)) throw Unexpected();
        CheckAnnotationsUsed(begin, pos);
        CheckBranchHintsUsed(begin, pos);

        return new Module(
            [.. recTypes.Select(r => new TypeDef(r))], [.. imports], [.. tagList], [.. globalList], [.. memList],
            [.. tableList], [.. funcList], [.. dataList], [.. elemList], start, [.. exports])
        {
            Names = new Names(name, funcs.Names, [.. localNames], [], types.Names, tables.Names, mems.Names,
                globals.Names, elems.Names, datas.Names,
                [.. fields.Where(f => !f.Value.Names.IsEmpty).OrderBy(f => f.Key).Select(f => new IndirectNameAssoc(f.Key, f.Value.Names))],
                tags.Names),
            Customs = [.. customs],
            BranchHints = [.. branchHints],
        };
    }

    /// <summary>Skips a balanced parenthesised form (or stops at the end of input).</summary>
    private void SkipForm()
    {
        int depth = 0;
        do
        {
            var t = Next();
            if (t.Kind == TokenKind.LParen) depth++;
            else if (t.Kind == TokenKind.RParen) depth--;
            else if (t.Kind == TokenKind.Eof) return;
        } while (depth > 0);
    }

    /// <summary>Whether the form at the cursor has a direct child "(" kw.</summary>
    private bool HasChild(string kw)
    {
        int save = pos;
        pos++;
        bool found = false;
        while (Peek().Kind is not (TokenKind.RParen or TokenKind.Eof))
        {
            if (IsForm(kw)) { found = true; break; }
            if (Peek().Kind == TokenKind.LParen) SkipForm(); else pos++;
        }
        pos = save;
        return found;
    }

    // ---- First pass: the identifier context of the module ----

    private void BindIdentifiers()
    {
        int save = pos;
        while (Peek().Kind == TokenKind.LParen)
        {
            int field = pos;
            var kw = Peek(1);
            pos += 2;
            var id = Peek();
            string? name = id.Kind == TokenKind.Id ? id.Text : null;
            switch (kw.Text)
            {
                case "type": types.Add(name, id); break;
                case "rec":
                    while (IsForm("type"))
                    {
                        int sub = pos;
                        var tid = Peek(2);
                        types.Add(tid.Kind == TokenKind.Id ? tid.Text : null, tid);
                        pos = sub; SkipForm();
                    }
                    break;
                case "func": funcs.Add(name, id); break;
                case "global": globals.Add(name, id); break;
                case "tag": tags.Add(name, id); break;
                case "elem": elems.Add(name, id); break;
                case "data": datas.Add(name, id); break;
                case "table":
                    tables.Add(name, id);
                    pos = field;
                    if (HasChild("elem")) elems.Add(null, id);
                    break;
                case "memory":
                    mems.Add(name, id);
                    pos = field;
                    if (HasChild("data")) datas.Add(null, id);
                    break;
                case "import":
                    if (Peek().Kind == TokenKind.String) pos++;
                    if (Peek().Kind == TokenKind.String) pos++;
                    if (Peek().Kind == TokenKind.LParen && Peek(1).Kind == TokenKind.Keyword)
                    {
                        var d = Peek(2);
                        string? dn = d.Kind == TokenKind.Id ? d.Text : null;
                        switch (Peek(1).Text)
                        {
                            case "func": funcs.Add(dn, d); break;
                            case "table": tables.Add(dn, d); break;
                            case "memory": mems.Add(dn, d); break;
                            case "global": globals.Add(dn, d); break;
                            case "tag": tags.Add(dn, d); break;
                        }
                    }
                    break;
            }
            pos = field;
            SkipForm();
        }
        pos = save;
    }

    // ---- Second pass ----

    /// <summary>Tdecl_(I) other than types.</summary>
    private void Decl()
    {
        var kw = Peek(1);
        if (kw.Kind != TokenKind.Keyword) throw Unexpected(kw);
        switch (kw.Text)
        {
            case "import": ImportDecl(); break;
            case "func": FuncDecl(); break;
            case "table": TableDecl(); break;
            case "memory": MemDecl(); break;
            case "global": GlobalDecl(); break;
            case "tag": TagDecl(); break;
            case "elem": ElemDecl(); break;
            case "data": DataDecl(); break;
            case "start": StartDecl(); break;
            case "export": ExportDecl(); break;
            default: throw Unexpected(kw);
        }
    }

    private void Definition(string kind) => firstDefinition ??= kind;

    private void AddImport(Token at, string module, string name, ExternType type)
    {
        if (firstDefinition is not null) throw at.Error($"import after {firstDefinition}");
        imports.Add(new Import(module, name, type));
    }

    /// <summary>Texportdots: the inline exports "(" "export" name ")"* of a definition with index <paramref name="x"/>.</summary>
    private void InlineExports(ExternKind kind, uint x)
    {
        while (TryForm("export"))
        {
            exports.Add(new Export(Name(), new ExternIdx(kind, x)));
            ExpectRParen();
        }
    }

    /// <summary>Timportdots: "(" "import" name name ")", if present.</summary>
    private (string Module, string Name, Token At)? InlineImport()
    {
        var at = Peek();
        if (!TryForm("import")) return null;
        var m = Name();
        var n = Name();
        ExpectRParen();
        return (m, n, at);
    }

    /// <summary>Timport_(I)/plain: "(" "import" name name externtype ")".</summary>
    private void ImportDecl()
    {
        var at = Peek();
        pos += 2;
        var module = Name();
        var name = Name();
        ExpectLParen();
        var kw = Peek();
        if (kw.Kind != TokenKind.Keyword) throw Unexpected();
        pos++;
        OptId();
        var debugName = kw.Text is "func" or "tag" ? NameAnnotation(kw.Text) : null;
        ExternType xt;
        switch (kw.Text)
        {
            case "func":
            {
                funcs.SetName(nFuncs++, debugName);
                xt = FuncImportType(); break;
            }
            case "table": nTables++; xt = new TableExtern(TableType()); break;
            case "memory": nMems++; xt = new MemExtern(MemType()); break;
            case "global": nGlobals++; xt = new GlobalExtern(GlobalType()); break;
            case "tag":
            {
                tags.SetName(nTags++, debugName);
                var (x, _) = TypeUse();
                xt = new TagExtern(new TypeIdx(x)); break;
            }
            default: throw Unexpected(kw);
        }
        ExpectRParen();
        ExpectRParen();
        AddImport(at, module, name, xt);
    }

    /// <summary>
    /// The type of a function import: typeuse, or "(" "exact" typeuse ")" for an exact import (custom descriptors
    /// proposal, Texterntype_(I)), which only a function of that very type matches.
    /// </summary>
    private FuncExtern FuncImportType()
    {
        bool exact = TryForm("exact");
        var (x, _) = TypeUse();
        if (exact) ExpectRParen();
        return new FuncExtern(new TypeIdx(x), exact);
    }

    /// <summary>Tfunc_(I), with inline exports and import.</summary>
    private void FuncDecl()
    {
        int funcBegin = pos;
        pos += 2;
        OptId();
        uint x = nFuncs++;
        funcs.SetName(x, NameAnnotation("func"));
        InlineExports(ExternKind.Func, x);
        if (InlineImport() is { } imp)
        {
            var xt = FuncImportType();
            ExpectRParen();
            AddImport(imp.At, imp.Module, imp.Name, xt);
            return;
        }
        Definition("function");
        var (typeIdx, paramNames) = TypeUse();
        locals = new IdSpace("local");
        foreach (var (id, at, debug) in paramNames) locals.SetName(locals.Add(id, at), debug);
        var ls = ImmutableArray.CreateBuilder<Local>();
        while (TryForm("local"))
        {
            BoundItems("local", (id, at, debug) => { locals.SetName(locals.Add(id, at), debug); ls.Add(new Local(ValType())); });
            ExpectRParen();
        }
        labels.Clear();
        BeginFuncBody();
        var body = Expr();
        EndFuncBody(x, funcBegin);
        ExpectRParen();
        if (!locals.Names.IsEmpty) localNames.Add(new IndirectNameAssoc(x, locals.Names));
        locals = null;
        funcList.Add(new Func(typeIdx, ls.ToImmutable(), body));
    }

    /// <summary>Ttable_(I), with inline exports, import or elements.</summary>
    private void TableDecl()
    {
        pos += 2;
        OptId();
        uint x = nTables++;
        InlineExports(ExternKind.Table, x);
        if (InlineImport() is { } imp)
        {
            var tt = TableType();
            ExpectRParen();
            AddImport(imp.At, imp.Module, imp.Name, new TableExtern(tt));
            return;
        }
        Definition("table");
        // Telemtable_(I)/abbrev: addrtype? reftype "(" "elem" elemlist ")"
        int k = IsKeyword("i32") || IsKeyword("i64") ? 1 : 0;
        if (Peek(k).Kind != TokenKind.Nat)
        {
            var at = AddrType();
            var rt = RefType();
            ExpectLParen();
            ExpectKeyword("elem");
            var (et, inits) = InlineElemList(rt);
            ExpectRParen();
            ExpectRParen();
            var n = (ulong)inits.Length;
            tableList.Add(new Table(new TableType(at, new Limits(n, n), rt), new Expr([new RefNull(rt.Heap)])));
            elemList.Add(new Elem(et, inits, new ElemActive(x, new Expr([AddrConst(at)]))));
            return;
        }
        var type = TableType();
        var init = IsRParen ? new Expr([new RefNull(type.ElemType.Heap)]) : Expr();
        ExpectRParen();
        tableList.Add(new Table(type, init));
    }

    private static Const AddrConst(AddrType at) => at == Syntax.AddrType.I64 ? Const.I64(0) : Const.I32(0);

    /// <summary>
    /// The elements of a table's inline "(elem ...)": a Telemlist_(I), where the "func" of a function index list may
    /// be left out; a bare index list and element expressions without a reference type take the table's.
    /// </summary>
    private (RefType, ImmutableArray<Expr>) InlineElemList(RefType tableType)
    {
        if (IsKeyword("func")) return ElemList(allowBareFuncs: true);
        // A bare function index list takes the table's reference type, as the testsuite's valid modules require
        // (br_table.wast, type-subtyping.wast: (table (ref null $t) (elem $f ...))).
        if (IsIdx) return (tableType, ElemList(allowBareFuncs: true).Item2);
        if (Peek().Kind == TokenKind.Keyword || IsForm("ref")) return ElemList(allowBareFuncs: false);
        return (tableType, ElemExprs());
    }

    /// <summary>Tmem_(I), with inline exports, import or data.</summary>
    private void MemDecl()
    {
        pos += 2;
        OptId();
        uint x = nMems++;
        InlineExports(ExternKind.Mem, x);
        if (InlineImport() is { } imp)
        {
            var mt = MemType();
            ExpectRParen();
            AddImport(imp.At, imp.Module, imp.Name, new MemExtern(mt));
            return;
        }
        Definition("memory");
        // Tdatamem_(I)/abbrev: addrtype? "(" "data" datastring ")", with a custom page size possibly in between.
        int k = IsKeyword("i32") || IsKeyword("i64") ? 1 : 0;
        if (IsForm("data", k) || (IsForm("pagesize", k) && IsForm("data", k + 4)))
        {
            var at = AddrType();
            byte log2 = 16;
            if (TryForm("pagesize"))
            {
                var t = Peek();
                var size = U64();
                if (size == 0 || (size & (size - 1)) != 0) throw t.Error("invalid custom page size");
                log2 = (byte)System.Numerics.BitOperations.Log2(size);
                ExpectRParen();
            }
            pos += 2;
            var bytes = DataString();
            ExpectRParen();
            ExpectRParen();
            ulong pageBytes = 1UL << Math.Min((int)log2, 63);
            ulong pages = (ulong)bytes.Length / pageBytes + ((ulong)bytes.Length % pageBytes == 0 ? 0UL : 1UL);
            memList.Add(new Mem(new MemType(at, new Limits(pages, pages), PageSizeLog2: log2)));
            dataList.Add(new Data(bytes, new DataActive(x, new Expr([AddrConst(at)]))));
            return;
        }
        var type = MemType();
        ExpectRParen();
        memList.Add(new Mem(type));
    }

    /// <summary>Tglobal_(I), with inline exports or import.</summary>
    private void GlobalDecl()
    {
        pos += 2;
        OptId();
        uint x = nGlobals++;
        InlineExports(ExternKind.Global, x);
        if (InlineImport() is { } imp)
        {
            var gt = GlobalType();
            ExpectRParen();
            AddImport(imp.At, imp.Module, imp.Name, new GlobalExtern(gt));
            return;
        }
        Definition("global");
        var type = GlobalType();
        var init = Expr();
        ExpectRParen();
        globalList.Add(new Global(type, init));
    }

    /// <summary>Ttag_(I), with inline exports or import.</summary>
    private void TagDecl()
    {
        pos += 2;
        OptId();
        uint x = nTags++;
        tags.SetName(x, NameAnnotation("tag"));
        InlineExports(ExternKind.Tag, x);
        if (InlineImport() is { } imp)
        {
            var (t, _) = TypeUse();
            ExpectRParen();
            AddImport(imp.At, imp.Module, imp.Name, new TagExtern(new TypeIdx(t)));
            return;
        }
        Definition("tag");
        var (ti, _) = TypeUse();
        ExpectRParen();
        tagList.Add(new Tag(new TypeIdx(ti)));
    }

    /// <summary>Toffsetexpr_(I): "(" "offset" expr ")" or one folded instruction.</summary>
    private Expr OffsetExpr()
    {
        if (TryForm("offset"))
        {
            var e = Expr();
            ExpectRParen();
            return e;
        }
        var b = ImmutableArray.CreateBuilder<Instr>();
        if (Peek().Kind != TokenKind.LParen) throw Unexpected();
        FoldedInstr(b);
        return new Expr(b.ToImmutable());
    }

    /// <summary>Whether an offset expression (explicit or a folded instruction) comes next.</summary>
    private bool IsOffsetExpr => IsOffsetExprAt(0);

    private bool IsOffsetExprAt(int i) =>
        IsForm("offset", i) || (Peek(i).Kind == TokenKind.LParen && Peek(i + 1) is { Kind: TokenKind.Keyword } k && IsInstrKeyword(k.Text));

    /// <summary>Telemexpr_(I)*: "(" "item" expr ")" or one folded instruction each.</summary>
    private ImmutableArray<Expr> ElemExprs()
    {
        var es = ImmutableArray.CreateBuilder<Expr>();
        while (Peek().Kind == TokenKind.LParen)
        {
            if (TryForm("item"))
            {
                es.Add(Expr());
                ExpectRParen();
                continue;
            }
            var b = ImmutableArray.CreateBuilder<Instr>();
            FoldedInstr(b);
            es.Add(new Expr(b.ToImmutable()));
        }
        return es.ToImmutable();
    }

    /// <summary>Telemlist_(I): reftype elemexpr* | "func" funcidx*.</summary>
    private (RefType, ImmutableArray<Expr>) ElemList(bool allowBareFuncs)
    {
        if (IsKeyword("func") || (allowBareFuncs && (IsIdx || IsRParen)))
        {
            if (IsKeyword("func")) pos++;
            var xs = ImmutableArray.CreateBuilder<Expr>();
            while (IsIdx) xs.Add(new Expr([new RefFunc(Idx(funcs))]));
            return (new RefType(false, Syntax.HeapType.Func), xs.ToImmutable());
        }
        var rt = RefType();
        return (rt, ElemExprs());
    }

    /// <summary>Telem_(I): passive, declarative or active (with optional table use) element segments.</summary>
    private void ElemDecl()
    {
        pos += 2;
        OptId();
        if (IsKeyword("declare"))
        {
            pos++;
            var (rt, es) = ElemList(false);
            ExpectRParen();
            elemList.Add(new Elem(rt, es, ElemDeclare.I));
            return;
        }
        if (IsForm("table") || IsOffsetExpr || (IsIdx && IsOffsetExprAt(1)))
        {
            uint table = 0;
            bool tableUse = false;
            if (TryForm("table")) { table = Idx(tables); ExpectRParen(); tableUse = true; }
            else if (IsIdx) table = Idx(tables); // the MVP's bare table index, still followed by bare function indices
            var offset = OffsetExpr();
            // Telem_(I)/abbrev: offset funcidx* without a table use means "func funcidx*".
            var (rt, es) = ElemList(allowBareFuncs: !tableUse);
            ExpectRParen();
            elemList.Add(new Elem(rt, es, new ElemActive(table, offset)));
            return;
        }
        var (prt, pes) = ElemList(false);
        ExpectRParen();
        elemList.Add(new Elem(prt, pes, ElemPassive.I));
    }

    /// <summary>Tdatastring: string* concatenated.</summary>
    private ImmutableArray<byte> DataString()
    {
        var b = ImmutableArray.CreateBuilder<byte>();
        while (Peek().Kind == TokenKind.String) b.AddRange(Next().Bytes ?? []);
        return b.ToImmutable();
    }

    /// <summary>Tdata_(I): passive, or active with optional memory use and an offset.</summary>
    private void DataDecl()
    {
        pos += 2;
        OptId();
        if (IsForm("memory") || IsOffsetExpr || (IsIdx && IsOffsetExprAt(1)))
        {
            uint mem = 0;
            if (TryForm("memory")) { mem = Idx(mems); ExpectRParen(); }
            else if (IsIdx) mem = Idx(mems); // the MVP's bare memory index
            var offset = OffsetExpr();
            var bytes = DataString();
            ExpectRParen();
            dataList.Add(new Data(bytes, new DataActive(mem, offset)));
            return;
        }
        var pbytes = DataString();
        ExpectRParen();
        dataList.Add(new Data(pbytes, DataPassive.I));
    }

    /// <summary>Tstart_(I); a second start is malformed.</summary>
    private void StartDecl()
    {
        var at = Peek();
        pos += 2;
        var x = Idx(funcs);
        ExpectRParen();
        if (start is not null) throw at.Error("multiple start sections");
        start = new Start(x);
    }

    /// <summary>Texport_(I): "(" "export" name externidx ")".</summary>
    private void ExportDecl()
    {
        pos += 2;
        var name = Name();
        ExpectLParen();
        var kw = Peek();
        if (kw.Kind != TokenKind.Keyword) throw Unexpected();
        pos++;
        ExternIdx xx = kw.Text switch
        {
            "func" => new(ExternKind.Func, Idx(funcs)),
            "table" => new(ExternKind.Table, Idx(tables)),
            "memory" => new(ExternKind.Mem, Idx(mems)),
            "global" => new(ExternKind.Global, Idx(globals)),
            "tag" => new(ExternKind.Tag, Idx(tags)),
            _ => throw Unexpected(kw),
        };
        ExpectRParen();
        ExpectRParen();
        exports.Add(new Export(name, xx));
    }
}
