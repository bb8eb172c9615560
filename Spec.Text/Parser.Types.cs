using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.4 Types (spectec 6.2-text.types).

internal sealed partial class Parser
{
    // The module's identifier context (spectec idctxt I).
    private readonly IdSpace types = new("type"), funcs = new("func"), tables = new("table"), mems = new("memory"),
        globals = new("global"), tags = new("tag"), elems = new("elem"), datas = new("data");

    /// <summary>I.FIELDS: the field names of each type that has any.</summary>
    private readonly Dictionary<uint, IdSpace> fields = [];

    /// <summary>I.TYPEDEFS: every defined subtype by type index, explicit ones first, then the implicit ones.</summary>
    private readonly List<SubType> typeDefs = [];

    /// <summary>The rec groups of the type section, explicit then implicit.</summary>
    private readonly List<RecType> recTypes = [];

    /// <summary>The smallest index of each type that is alone in its rec group: only those can be reused by an inline type use.</summary>
    private readonly Dictionary<SubType, uint> singletons = [];

    // ---- Value types ----

    /// <summary>Tnumtype | Tvectype | Treftype_(I)</summary>
    private ValType ValType()
    {
        var t = Peek();
        if (t.Kind == TokenKind.Keyword)
        {
            ValType? v = t.Text switch
            {
                "i32" => Syntax.ValType.I32, "i64" => Syntax.ValType.I64, "f32" => Syntax.ValType.F32,
                "f64" => Syntax.ValType.F64, "v128" => Syntax.ValType.V128, _ => RefTypeAbbrev(t.Text),
            };
            if (v is null) throw Unexpected();
            pos++;
            return v;
        }
        if (IsForm("ref")) return RefType();
        throw Unexpected();
    }

    // Treftype_(I)/abbrev
    internal static RefType? RefTypeAbbrev(string kw) => kw switch
    {
        "anyref" => Syntax.RefType.AnyRef, "eqref" => Syntax.RefType.EqRef, "i31ref" => Syntax.RefType.I31Ref,
        "structref" => Syntax.RefType.StructRef, "arrayref" => Syntax.RefType.ArrayRef, "nullref" => Syntax.RefType.NullRef,
        "funcref" => Syntax.RefType.FuncRef, "nullfuncref" => Syntax.RefType.NullFuncRef, "exnref" => Syntax.RefType.ExnRef,
        "nullexnref" => Syntax.RefType.NullExnRef, "externref" => Syntax.RefType.ExternRef,
        "nullexternref" => Syntax.RefType.NullExternRef, _ => null,
    };

    /// <summary>Treftype_(I): "(" "ref" "null"? heaptype ")" or an abbreviation.</summary>
    private RefType RefType()
    {
        if (Peek().Kind == TokenKind.Keyword && RefTypeAbbrev(Peek().Text) is { } abbrev) { pos++; return abbrev; }
        ExpectLParen();
        ExpectKeyword("ref");
        bool isNull = false;
        if (IsKeyword("null")) { pos++; isNull = true; }
        var ht = HeapType();
        ExpectRParen();
        return new RefType(isNull, ht);
    }

    // Tabsheaptype
    internal static AbsHeap? AbsHeapType(string kw) => kw switch
    {
        "any" => Syntax.HeapType.Any, "eq" => Syntax.HeapType.Eq, "i31" => Syntax.HeapType.I31,
        "struct" => Syntax.HeapType.Struct, "array" => Syntax.HeapType.Array, "none" => Syntax.HeapType.None,
        "func" => Syntax.HeapType.Func, "nofunc" => Syntax.HeapType.NoFunc, "exn" => Syntax.HeapType.Exn,
        "noexn" => Syntax.HeapType.NoExn, "extern" => Syntax.HeapType.Extern, "noextern" => Syntax.HeapType.NoExtern,
        _ => null,
    };

    /// <summary>
    /// Theaptype_(I): an abstract heap type, a type index, or "(" "exact" typeidx ")" (custom descriptors proposal),
    /// which only a type index may follow: no abstract heap type is exact.
    /// </summary>
    private HeapType HeapType()
    {
        if (Peek().Kind == TokenKind.Keyword && AbsHeapType(Peek().Text) is { } abs) { pos++; return abs; }
        if (TryForm("exact"))
        {
            var x = Idx(types);
            ExpectRParen();
            return new ExactHeap(new TypeIdx(x));
        }
        return new TypeIdx(Idx(types));
    }

    // ---- Type definitions ----

    /// <summary>Tstoragetype_(I)</summary>
    private StorageType StorageType()
    {
        if (IsKeyword("i8")) { pos++; return new PackedType(PackType.I8); }
        if (IsKeyword("i16")) { pos++; return new PackedType(PackType.I16); }
        return ValType();
    }

    /// <summary>Tfieldtype_(I)</summary>
    private FieldType FieldType()
    {
        if (TryForm("mut"))
        {
            var st = StorageType();
            ExpectRParen();
            return new FieldType(Mut.Var, st);
        }
        return new FieldType(Mut.Const, StorageType());
    }

    /// <summary>Tcomptype_(I); field names are bound for type <paramref name="self"/>.</summary>
    private CompType CompType(uint self)
    {
        ExpectLParen();
        var kw = Peek();
        if (IsKeyword("struct"))
        {
            pos++;
            var fts = ImmutableArray.CreateBuilder<FieldType>();
            var names = new IdSpace("field");
            while (TryForm("field"))
            {
                // Tfield_(I)/base with an id, or /abbrev: several anonymous fields.
                BoundItems("field", (id, at, debug) => { names.SetName(names.Add(id, at), debug); fts.Add(FieldType()); });
                ExpectRParen();
            }
            ExpectRParen();
            fields[self] = names;
            return new StructType(fts.ToImmutable());
        }
        if (IsKeyword("array"))
        {
            pos++;
            var ft = FieldType();
            ExpectRParen();
            return new ArrayType(ft);
        }
        if (IsKeyword("func"))
        {
            pos++;
            var (ps, _) = Params(allowNames: true);
            var rs = Results();
            ExpectRParen();
            return new FuncType(ps, rs);
        }
        throw Unexpected(kw.Kind == TokenKind.Keyword ? kw : Peek());
    }

    /// <summary>Tparam_(I)*: the parameter types and their names (null where anonymous).</summary>
    private (ImmutableArray<ValType> Types, List<(string? Id, Token At, string? Debug)> Names) Params(bool allowNames)
    {
        var ts = ImmutableArray.CreateBuilder<ValType>();
        var names = new List<(string?, Token, string?)>();
        while (TryForm("param"))
        {
            if (Peek().Kind == TokenKind.Id && !allowNames) throw Unexpected();
            BoundItems("param", (id, at, debug) => { names.Add((id, at, debug)); ts.Add(ValType()); });
            ExpectRParen();
        }
        return (ts.ToImmutable(), names);
    }

    /// <summary>
    /// The inside of a binding form, (param ...), (local ...) or (field ...): one item named by an id or an @name
    /// annotation, or the abbreviation of several anonymous items. <paramref name="item"/> binds and parses one item,
    /// given its id, the token where it starts and its debug name.
    /// </summary>
    private void BoundItems(string annotation, Action<string?, Token, string?> item)
    {
        var at = Peek();
        var id = OptId();
        var debug = NameAnnotation(annotation);
        if (id is not null || debug is not null) item(id, at, debug);
        else while (!IsRParen) item(null, Peek(), null);
    }

    /// <summary>Tresult_(I)*</summary>
    private ImmutableArray<ValType> Results()
    {
        var ts = ImmutableArray.CreateBuilder<ValType>();
        while (TryForm("result"))
        {
            while (!IsRParen) ts.Add(ValType());
            ExpectRParen();
        }
        return ts.ToImmutable();
    }

    /// <summary>Tsubtype_(I): "(" "sub" "final"? typeidx* desctype ")" or a plain desctype.</summary>
    private SubType SubType(uint self)
    {
        if (TryForm("sub"))
        {
            bool final = false;
            if (IsKeyword("final")) { pos++; final = true; }
            var supers = ImmutableArray.CreateBuilder<TypeUse>();
            while (IsIdx) supers.Add(new TypeIdx(Idx(types)));
            var (describes, descriptor, ct) = DescType(self);
            ExpectRParen();
            return new SubType(final, supers.ToImmutable(), ct, describes, descriptor);
        }
        var (ds, dr, plain) = DescType(self);
        return new SubType(true, [], plain, ds, dr);
    }

    /// <summary>
    /// Tdesctype_(I) (custom descriptors proposal): ("(" "describes" typeidx ")")? ("(" "descriptor" typeidx ")")? comptype,
    /// in that order and each at most once.
    /// </summary>
    private (TypeUse? Describes, TypeUse? Descriptor, CompType Comp) DescType(uint self)
    {
        TypeUse? describes = null, descriptor = null;
        if (TryForm("describes")) { describes = new TypeIdx(Idx(types)); ExpectRParen(); }
        if (TryForm("descriptor")) { descriptor = new TypeIdx(Idx(types)); ExpectRParen(); }
        return (describes, descriptor, CompType(self));
    }

    /// <summary>Ttypedef_(I): "(" "type" id? subtype ")"; the id was bound by the first pass.</summary>
    private SubType TypeDef()
    {
        ExpectLParen();
        ExpectKeyword("type");
        OptId();
        types.SetName((uint)typeDefs.Count, NameAnnotation("type"));
        var st = SubType((uint)typeDefs.Count);
        ExpectRParen();
        typeDefs.Add(st);
        return st;
    }

    /// <summary>Trectype_(I): "(" "rec" typedef* ")" or a single typedef.</summary>
    private void RecType()
    {
        if (IsForm("rec"))
        {
            pos += 2;
            var subs = ImmutableArray.CreateBuilder<SubType>();
            while (!IsRParen) subs.Add(TypeDef());
            ExpectRParen();
            recTypes.Add(new RecType(subs.ToImmutable()));
            if (subs.Count == 1) singletons.TryAdd(subs[0], (uint)(typeDefs.Count - 1));
            return;
        }
        var st = TypeDef();
        recTypes.Add(new RecType([st]));
        singletons.TryAdd(st, (uint)(typeDefs.Count - 1));
    }

    // ---- External types ----

    /// <summary>Taddrtype, defaulting to i32.</summary>
    private AddrType AddrType()
    {
        if (IsKeyword("i64")) { pos++; return Syntax.AddrType.I64; }
        if (IsKeyword("i32")) { pos++; }
        return Syntax.AddrType.I32;
    }

    /// <summary>Tlimits: u64 u64?</summary>
    private Limits Limits()
    {
        var min = LimitBound();
        ulong? max = Peek().Kind == TokenKind.Nat ? LimitBound() : null;
        return new Limits(min, max);
    }

    /// <summary>Tglobaltype_(I)</summary>
    private GlobalType GlobalType()
    {
        if (TryForm("mut"))
        {
            var t = ValType();
            ExpectRParen();
            return new GlobalType(Mut.Var, t);
        }
        return new GlobalType(Mut.Const, ValType());
    }

    /// <summary>Tmemtype_(I): addrtype? limits, with an optional (pagesize n) of the custom-page-sizes extension.</summary>
    private MemType MemType()
    {
        var at = AddrType();
        var lim = Limits();
        bool shared = false;
        if (IsKeyword("shared")) { pos++; shared = true; }
        byte log2 = 16;
        if (TryForm("pagesize"))
        {
            var t = Peek();
            var size = U64();
            // Only a power of two is well-formed; which ones are valid is for validation to say.
            if (size == 0 || (size & (size - 1)) != 0) throw t.Error("invalid custom page size");
            log2 = (byte)System.Numerics.BitOperations.Log2(size);
            ExpectRParen();
        }
        return new MemType(at, lim, shared, log2);
    }

    /// <summary>Ttabletype_(I)</summary>
    private TableType TableType()
    {
        var at = AddrType();
        var lim = Limits();
        return new TableType(at, lim, RefType());
    }

    // ---- Type uses ----

    /// <summary>
    /// Ttypeuse_(I): "(" "type" x ")" with optional params/results that must agree with type x, or params/results
    /// alone, which denote the first type index with exactly that function type, appending a new type if none exists.
    /// Returns the index and the parameter names (the local names a function gets from its type use).
    /// </summary>
    private (uint Index, List<(string? Id, Token At, string? Debug)> ParamNames) TypeUse(bool allowNames = true)
    {
        var start = Peek();
        if (TryForm("type"))
        {
            var x = Idx(types);
            ExpectRParen();
            if (IsForm("param") || IsForm("result"))
            {
                var (ps, names) = Params(allowNames);
                var rs = Results();
                if (IsForm("param")) throw Unexpected(Peek(1));
                if (x >= typeDefs.Count) throw start.Error("unknown type");
                if (typeDefs[(int)x] is not { Comp: FuncType ft } || !Sequences.Equal(ft.Params, ps) || !Sequences.Equal(ft.Results, rs))
                    throw start.Error("inline function type");
                return (x, names);
            }
            int n = x < typeDefs.Count && typeDefs[(int)x].Comp is FuncType f ? f.Params.Length : 0;
            return (x, [.. Enumerable.Repeat<(string?, Token, string?)>((null, start, null), n)]);
        }
        var (ps2, names2) = Params(allowNames);
        var rs2 = Results();
        if (IsForm("param")) throw Unexpected(Peek(1));
        return (ImplicitType(new FuncType(ps2, rs2)), names2);
    }

    /// <summary>The smallest index of a lone final function type equal to <paramref name="ft"/>, appended as a new type if there is none.</summary>
    private uint ImplicitType(FuncType ft)
    {
        var st = Syntax.SubType.Plain(ft);
        if (singletons.TryGetValue(st, out var x)) return x;
        x = (uint)typeDefs.Count;
        typeDefs.Add(st);
        singletons.Add(st, x);
        recTypes.Add(new RecType([st]));
        return x;
    }
}
