using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.5 Instructions (spectec 6.3-text.instructions): plain, block and folded instructions, labels,
// and the legacy exception-handling forms (try/catch/catch_all/delegate, rethrow).

internal sealed partial class Parser
{
    /// <summary>I.LOCALS of the function being parsed; null in constant expressions outside functions.</summary>
    private IdSpace? locals;

    /// <summary>I.LABELS, innermost last; null for an anonymous label.</summary>
    private readonly List<string?> labels = [];

    private static readonly HashSet<string> BlockKeywords = ["block", "loop", "if", "try_table", "try"];

    /// <summary>Texpr_(I) = Tinstrs_(I)</summary>
    private Expr Expr()
    {
        var b = ImmutableArray.CreateBuilder<Instr>();
        Instrs(b);
        return new Expr(b.ToImmutable());
    }

    /// <summary>Tinstrs_(I): plain, block and folded instructions up to whatever cannot start one.</summary>
    private void Instrs(ImmutableArray<Instr>.Builder into)
    {
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.LParen)
            {
                var k = Peek(1);
                if (k.Kind == TokenKind.Keyword && IsInstrKeyword(k.Text)) FoldedInstr(into);
                else if (k.Kind == TokenKind.Reserved || (k.Kind == TokenKind.Keyword && !IsKnownKeyword(k.Text))) throw Unexpected(k);
                else return;
            }
            else if (t.Kind == TokenKind.Keyword && IsInstrKeyword(t.Text)) Instr(into);
            else if (t.Kind == TokenKind.Reserved || (t.Kind == TokenKind.Keyword && !IsKnownKeyword(t.Text))) throw Unexpected(t);
            else return;
        }
    }

    private static bool IsInstrKeyword(string kw) => PlainInstrs.ContainsKey(kw) || ImmediateInstrs.Contains(kw) || BlockKeywords.Contains(kw);

    /// <summary>Tinstr_(I): one unfolded instruction.</summary>
    private void Instr(ImmutableArray<Instr>.Builder into)
    {
        var kw = Peek().Text;
        Positioned(pos);
        into.Add(BlockKeywords.Contains(kw) ? BlockInstr() : PlainInstr());
    }

    // ---- Labels and block types ----

    /// <summary>Tlabel_(I): an optional id, pushed as the innermost label (shadowing an outer one of the same name).</summary>
    private string? Label() => OptId();

    /// <summary>"end" id? (or "else" id?) with the id, if any, equal to the block's label.</summary>
    private void EndLabel(string? label)
    {
        var t = Peek();
        if (t.Kind != TokenKind.Id) return;
        pos++;
        if (t.Text != label) throw t.Error("mismatching label");
    }

    /// <summary>Tlabelidx_(I): a depth, or the innermost label with that name.</summary>
    private uint LabelIdx()
    {
        var t = Peek();
        if (t.Kind == TokenKind.Nat) return U32();
        if (t.Kind != TokenKind.Id) throw Unexpected();
        pos++;
        for (int i = labels.Count - 1; i >= 0; i--)
            if (labels[i] == t.Text) return (uint)(labels.Count - 1 - i);
        throw t.Error("unknown label");
    }

    /// <summary>Tblocktype_(I): (result t)? or a type use without parameter names.</summary>
    private BlockType BlockType()
    {
        if (IsForm("type") || IsForm("param"))
        {
            var (x, _) = TypeUse(allowNames: false);
            return new IdxBlockType(x);
        }
        if (!IsForm("result")) return ValBlockType.Empty;
        var rs = Results();
        return rs.Length switch
        {
            0 => ValBlockType.Empty,
            1 => new ValBlockType(rs[0]),
            _ => new IdxBlockType(ImplicitType(new FuncType([], rs))),
        };
    }

    private ImmutableArray<Instr> Body(string? label)
    {
        labels.Add(label);
        var b = ImmutableArray.CreateBuilder<Instr>();
        Instrs(b);
        labels.RemoveAt(labels.Count - 1);
        return b.ToImmutable();
    }

    // ---- Block instructions, unfolded ----

    /// <summary>Tblockinstr_(I)/plain</summary>
    private Instr BlockInstr()
    {
        GuardDepth();
        var kw = Next().Text;
        var label = Label();
        var bt = BlockType();
        switch (kw)
        {
            case "block":
            {
                var body = Body(label);
                ExpectKeyword("end"); EndLabel(label);
                return new Block(bt, body);
            }
            case "loop":
            {
                var body = Body(label);
                ExpectKeyword("end"); EndLabel(label);
                return new Loop(bt, body);
            }
            case "if":
            {
                var then = Body(label);
                ImmutableArray<Instr> els = [];
                if (IsKeyword("else"))
                {
                    pos++; EndLabel(label);
                    els = Body(label);
                }
                ExpectKeyword("end"); EndLabel(label);
                return new If(bt, then, els);
            }
            case "try_table":
            {
                var catches = Catches();
                var body = Body(label);
                ExpectKeyword("end"); EndLabel(label);
                return new TryTable(bt, catches, body);
            }
            default: // legacy try
            {
                var body = Body(label);
                if (IsKeyword("delegate"))
                {
                    pos++;
                    return new LegacyTryDelegate(bt, body, LabelIdx());
                }
                var cs = ImmutableArray.CreateBuilder<LegacyCatch>();
                ImmutableArray<Instr>? all = null;
                while (IsKeyword("catch"))
                {
                    pos++;
                    var tag = Idx(tags);
                    cs.Add(new LegacyCatch(tag, Body(label)));
                }
                if (IsKeyword("catch_all")) { pos++; all = Body(label); }
                ExpectKeyword("end"); EndLabel(label);
                return new LegacyTry(bt, body, cs.ToImmutable(), all);
            }
        }
    }

    /// <summary>Tcatch_(I)*, resolved in the context outside the try_table's own label.</summary>
    private ImmutableArray<Catch> Catches()
    {
        var cs = ImmutableArray.CreateBuilder<Catch>();
        while (true)
        {
            if (TryForm("catch")) { var x = Idx(tags); cs.Add(new CatchTag(x, LabelIdx())); }
            else if (TryForm("catch_ref")) { var x = Idx(tags); cs.Add(new CatchTagRef(x, LabelIdx())); }
            else if (TryForm("catch_all")) cs.Add(new CatchAll(LabelIdx()));
            else if (TryForm("catch_all_ref")) cs.Add(new CatchAllRef(LabelIdx()));
            else return cs.ToImmutable();
            ExpectRParen();
        }
    }

    // ---- Folded instructions ----

    /// <summary>Tfoldedinstr_(I): "(" plaininstr instrs ")" is instrs plaininstr; folded blocks as their unfolded forms.</summary>
    private void FoldedInstr(ImmutableArray<Instr>.Builder into)
    {
        GuardDepth();
        int start = pos;
        ExpectLParen();
        var kw = Peek().Text;
        if (!BlockKeywords.Contains(kw))
        {
            var instr = PlainInstr();
            Instrs(into);
            Positioned(start);
            ExpectRParen();
            into.Add(instr);
            return;
        }
        pos++;
        var label = Label();
        var bt = BlockType();
        if (kw != "if") Positioned(start);
        switch (kw)
        {
            case "block": into.Add(new Block(bt, Body(label))); break;
            case "loop": into.Add(new Loop(bt, Body(label))); break;
            case "if":
            {
                // The condition: folded instructions only.
                while (Peek().Kind == TokenKind.LParen && !IsForm("then")) FoldedInstr(into);
                Positioned(start);
                if (!TryForm("then")) throw Unexpected();
                var then = Body(label);
                ExpectRParen();
                ImmutableArray<Instr> els = [];
                if (TryForm("else"))
                {
                    els = Body(label);
                    ExpectRParen();
                }
                into.Add(new If(bt, then, els));
                break;
            }
            case "try_table":
            {
                var catches = Catches();
                into.Add(new TryTable(bt, catches, Body(label)));
                break;
            }
            default: // legacy (try label bt (do instrs) (catch x instrs)* (catch_all instrs)?) or (... (delegate l))
            {
                if (!TryForm("do")) throw Unexpected();
                var body = Body(label);
                ExpectRParen();
                if (TryForm("delegate"))
                {
                    var l = LabelIdx();
                    ExpectRParen();
                    into.Add(new LegacyTryDelegate(bt, body, l));
                    break;
                }
                var cs = ImmutableArray.CreateBuilder<LegacyCatch>();
                ImmutableArray<Instr>? all = null;
                while (TryForm("catch"))
                {
                    var tag = Idx(tags);
                    cs.Add(new LegacyCatch(tag, Body(label)));
                    ExpectRParen();
                }
                if (TryForm("catch_all"))
                {
                    all = Body(label);
                    ExpectRParen();
                }
                into.Add(new LegacyTry(bt, body, cs.ToImmutable(), all));
                break;
            }
        }
        ExpectRParen();
    }

    /// <summary>Nesting is recursive here: refuse input nested deeper than the thread's stack can take.</summary>
    private void GuardDepth()
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Peek().Error("nesting too deep");
    }

    // ---- Plain instructions ----

    /// <summary>Tplaininstr_(I): an instruction keyword and its immediates.</summary>
    private Instr PlainInstr()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Keyword) throw Unexpected();
        if (PlainInstrs.TryGetValue(t.Text, out var plain)) { pos++; return plain; }
        if (!ImmediateInstrs.Contains(t.Text)) throw Unexpected();
        pos++;
        var kw = t.Text;
        switch (kw)
        {
            // Tplaininstr_(I)/parametric
            case "select":
            {
                if (!IsForm("result")) return new Select(null);
                return new Select(Results());
            }
            // Tplaininstr_(I)/br
            case "br": return new Br(LabelIdx());
            case "br_if": return new BrIf(LabelIdx());
            case "br_table":
            {
                var ls = new List<uint> { LabelIdx() };
                while (IsIdx) ls.Add(LabelIdx());
                return new BrTable([.. ls.Take(ls.Count - 1)], ls[^1]);
            }
            case "br_on_null": return new BrOnNull(LabelIdx());
            case "br_on_non_null": return new BrOnNonNull(LabelIdx());
            case "br_on_cast": { var l = LabelIdx(); var r1 = RefType(); return new BrOnCast(l, r1, RefType()); }
            case "br_on_cast_fail": { var l = LabelIdx(); var r1 = RefType(); return new BrOnCastFail(l, r1, RefType()); }
            case "br_on_cast_desc_eq": { var l = LabelIdx(); var r1 = RefType(); return new BrOnCastDescEq(l, r1, RefType()); }
            case "br_on_cast_desc_eq_fail": { var l = LabelIdx(); var r1 = RefType(); return new BrOnCastDescEqFail(l, r1, RefType()); }
            // Tplaininstr_(I)/func
            case "call": return new Call(Idx(funcs));
            case "return_call": return new ReturnCall(Idx(funcs));
            case "call_ref": return new CallRef(Idx(types));
            case "return_call_ref": return new ReturnCallRef(Idx(types));
            case "call_indirect": { var x = IsIdx ? Idx(tables) : 0; return new CallIndirect(x, TypeUse(allowNames: false).Index); }
            case "return_call_indirect": { var x = IsIdx ? Idx(tables) : 0; return new ReturnCallIndirect(x, TypeUse(allowNames: false).Index); }
            // Tplaininstr_(I)/exn
            case "throw": return new Throw(Idx(tags));
            case "rethrow": return new LegacyRethrow(LabelIdx());
            // Tplaininstr_(I)/local, /global
            case "local.get": return new LocalGet(LocalIdx());
            case "local.set": return new LocalSet(LocalIdx());
            case "local.tee": return new LocalTee(LocalIdx());
            case "global.get": return new GlobalGet(Idx(globals));
            case "global.set": return new GlobalSet(Idx(globals));
            // Tplaininstr_(I)/table
            case "table.get": return new TableGet(OptIdx(tables));
            case "table.set": return new TableSet(OptIdx(tables));
            case "table.size": return new TableSize(OptIdx(tables));
            case "table.grow": return new TableGrow(OptIdx(tables));
            case "table.fill": return new TableFill(OptIdx(tables));
            case "table.copy": { if (!IsIdx) return new TableCopy(0, 0); var x = Idx(tables); return new TableCopy(x, Idx(tables)); }
            case "table.init":
            {
                var x = Idx(IsIdxAt(1) ? tables : elems);
                return IsIdxAt(0) ? new TableInit(x, Idx(elems)) : new TableInit(0, x);
            }
            case "elem.drop": return new ElemDrop(Idx(elems));
            // Tplaininstr_(I)/memory
            case "memory.size": return new MemorySize(OptIdx(mems));
            case "memory.grow": return new MemoryGrow(OptIdx(mems));
            case "memory.fill": return new MemoryFill(OptIdx(mems));
            case "memory.copy": { if (!IsIdx) return new MemoryCopy(0, 0); var x = Idx(mems); return new MemoryCopy(x, Idx(mems)); }
            case "memory.init":
            {
                var x = Idx(IsIdxAt(1) ? mems : datas);
                return IsIdxAt(0) ? new MemoryInit(x, Idx(datas)) : new MemoryInit(0, x);
            }
            case "data.drop": return new DataDrop(Idx(datas));
            // Tplaininstr_(I)/ref
            case "ref.null": return new RefNull(HeapType());
            case "ref.func": return new RefFunc(Idx(funcs));
            case "ref.test": return new RefTest(RefType());
            case "ref.cast": return new RefCast(RefType());
            case "ref.cast_desc_eq": return new RefCastDescEq(RefType());
            case "ref.get_desc": return new RefGetDesc(Idx(types));
            // Tplaininstr_(I)/struct
            case "struct.new": return new StructNew(Idx(types));
            case "struct.new_default": return new StructNewDefault(Idx(types));
            case "struct.new_desc": return new StructNewDesc(Idx(types));
            case "struct.new_default_desc": return new StructNewDefaultDesc(Idx(types));
            case "struct.get": { var x = Idx(types); return new StructGet(null, x, FieldIdx(x)); }
            case "struct.get_s": { var x = Idx(types); return new StructGet(Sx.S, x, FieldIdx(x)); }
            case "struct.get_u": { var x = Idx(types); return new StructGet(Sx.U, x, FieldIdx(x)); }
            case "struct.set": { var x = Idx(types); return new StructSet(x, FieldIdx(x)); }
            // Tplaininstr_(I)/array
            case "array.new": return new ArrayNew(Idx(types));
            case "array.new_default": return new ArrayNewDefault(Idx(types));
            case "array.new_fixed": { var x = Idx(types); return new ArrayNewFixed(x, U32()); }
            case "array.new_data": { var x = Idx(types); return new ArrayNewData(x, Idx(datas)); }
            case "array.new_elem": { var x = Idx(types); return new ArrayNewElem(x, Idx(elems)); }
            case "array.get": return new ArrayGet(null, Idx(types));
            case "array.get_s": return new ArrayGet(Sx.S, Idx(types));
            case "array.get_u": return new ArrayGet(Sx.U, Idx(types));
            case "array.set": return new ArraySet(Idx(types));
            case "array.fill": return new ArrayFill(Idx(types));
            case "array.copy": { var x = Idx(types); return new ArrayCopy(x, Idx(types)); }
            case "array.init_data": { var x = Idx(types); return new ArrayInitData(x, Idx(datas)); }
            case "array.init_elem": { var x = Idx(types); return new ArrayInitElem(x, Idx(elems)); }
            // Tplaininstr_(I)/num-const
            case "i32.const": return new Const(NumType.I32, IntLiteral(32));
            case "i64.const": return new Const(NumType.I64, IntLiteral(64));
            case "f32.const": return new Const(NumType.F32, FloatLiteral(32));
            case "f64.const": return new Const(NumType.F64, FloatLiteral(64));
            // Tplaininstr_(I)/vec
            case "v128.const": return VConst();
            case "i8x16.shuffle": return Shuffle();
            default: break;
        }
        if (MemoryInstrs.TryGetValue(kw, out var mem)) return mem(this);
        if (LaneInstrs.TryGetValue(kw, out var lane)) return lane(LaneIdx());
        throw t.Error($"unknown operator {t.Text}");
    }

    private bool IsIdxAt(int k) => Peek(k).Kind is TokenKind.Nat or TokenKind.Id;

    private uint OptIdx(IdSpace space) => IsIdx ? Idx(space) : 0;

    private uint LocalIdx()
    {
        if (Peek().Kind == TokenKind.Id && locals is null) throw Peek().Error("unknown local");
        return Idx(locals ?? new IdSpace("local"));
    }

    /// <summary>Tfieldidx__(I, x)</summary>
    private uint FieldIdx(uint type) => Idx(fields.TryGetValue(type, out var f) ? f : new IdSpace("field"));

    /// <summary>Ti32 / Ti64 as a bit pattern.</summary>
    private ulong IntLiteral(int bits)
    {
        var t = Peek();
        if (t.Kind is not (TokenKind.Nat or TokenKind.Int)) throw Unexpected();
        pos++;
        return Literals.TryParseI(t.Text, bits, out var v) ? v : throw t.Error("constant out of range");
    }

    /// <summary>Tf32 / Tf64 as a bit pattern.</summary>
    private ulong FloatLiteral(int bits)
    {
        var t = Peek();
        if (t.Kind is not (TokenKind.Nat or TokenKind.Int or TokenKind.Float)) throw Unexpected();
        pos++;
        if (bits == 32) return Literals.TryParseF32(t.Text, out var f) ? f : throw t.Error("constant out of range");
        return Literals.TryParseF64(t.Text, out var d) ? d : throw t.Error("constant out of range");
    }

    /// <summary>A token in lane position: a number, or a reserved word that is a malformed one.</summary>
    private bool IsLane(int k = 0) => Peek(k).Kind is TokenKind.Nat or TokenKind.Int or TokenKind.Float or TokenKind.Reserved
        || (Peek(k).Kind == TokenKind.Keyword && !IsKnownKeyword(Peek(k).Text));

    /// <summary>"v128.const" shape lane^n: the lanes as a little-endian 128-bit value.</summary>
    private VConst VConst()
    {
        var st = Peek();
        if (st.Kind != TokenKind.Keyword || VectorLiterals.Shape(st.Text) is not var (width, isFloat)) throw Unexpected();
        pos++;
        int n = 128 / width;
        int count = 0;
        while (IsLane(count)) count++;
        if (count != n) throw Peek(Math.Min(count, n)).Error("wrong number of lane literals");
        var lanes = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            var t = Peek();
            if (t.Kind is not (TokenKind.Nat or TokenKind.Int or TokenKind.Float) || (!isFloat && t.Kind == TokenKind.Float)) throw Unexpected();
            pos++;
            if (!VectorLiterals.TryParseLane(t.Text, width, isFloat, out lanes[i])) throw t.Error("constant out of range");
        }
        return new VConst(VectorLiterals.Pack(width, lanes));
    }

    /// <summary>"i8x16.shuffle" laneidx^16</summary>
    private VShuffle Shuffle()
    {
        int count = 0;
        while (IsLane(count)) count++;
        if (count != 16) throw Peek(Math.Min(count, 16)).Error("invalid lane length");
        var lanes = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            // A shuffle's lanes are read as numbers first: a signed or fractional one is out of range.
            if (Peek().Kind is TokenKind.Int or TokenKind.Float) throw Peek().Error("i8 constant out of range");
            lanes[i] = LaneIdx();
        }
        return new VShuffle(Shape.I8x16, [.. lanes]);
    }

    /// <summary>Tlaneidx: a u8.</summary>
    private byte LaneIdx()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Nat) throw Unexpected();
        pos++;
        return Literals.TryParseU(t.Text, 8, out var v) ? (byte)v : throw t.Error("i8 constant out of range");
    }

    /// <summary>Tmemarg_(N): "offset="u64? "align="u64?, the alignment a power of two stored as its exponent.</summary>
    private MemArg MemArg(int natural)
    {
        ulong offset = 0;
        uint align = (uint)System.Numerics.BitOperations.Log2((uint)natural);
        if (Peek() is { Kind: TokenKind.Keyword } o && o.Text.StartsWith("offset=", StringComparison.Ordinal))
        {
            pos++;
            var s = o.Text["offset=".Length..];
            if (!Literals.IsNat(s)) throw o.Error($"unknown operator {o.Text}");
            if (!Literals.TryParseU(s, 64, out offset)) throw o.Error("constant out of range");
        }
        if (Peek() is { Kind: TokenKind.Keyword } a && a.Text.StartsWith("align=", StringComparison.Ordinal))
        {
            pos++;
            var s = a.Text["align=".Length..];
            if (!Literals.IsNat(s)) throw a.Error($"unknown operator {a.Text}");
            if (!Literals.TryParseU(s, 64, out var m)) throw a.Error("constant out of range");
            if (m == 0 || (m & (m - 1)) != 0) throw a.Error("alignment must be a power of two");
            align = (uint)System.Numerics.BitOperations.Log2(m);
        }
        return new MemArg(align, offset);
    }

    /// <summary>memidx? memarg for loads and stores.</summary>
    private (uint Mem, MemArg Arg) MemUse(int natural)
    {
        var x = OptIdx(mems);
        return (x, MemArg(natural));
    }

    /// <summary>memidx? memarg laneidx: a leading index is the memory only if a lane index still follows.</summary>
    private (uint Mem, MemArg Arg, byte Lane) MemLaneUse(int natural)
    {
        uint x = 0;
        if (Peek().Kind == TokenKind.Id || (Peek().Kind == TokenKind.Nat && (IsIdxAt(1) || Peek(1) is { Kind: TokenKind.Keyword } k && (k.Text.StartsWith("offset=", StringComparison.Ordinal) || k.Text.StartsWith("align=", StringComparison.Ordinal)))))
            x = Idx(mems);
        var arg = MemArg(natural);
        return (x, arg, LaneIdx());
    }
}
