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
    private void Instrs(ImmutableArray<Instr>.Builder into) => Instructions(into, single: false);

    /// <summary>Tfoldedinstr_(I): one folded instruction, its operands and nested instructions first.</summary>
    private void FoldedInstr(ImmutableArray<Instr>.Builder into) => Instructions(into, single: true);

    private static bool IsInstrKeyword(string kw) => PlainInstrs.ContainsKey(kw) || ImmediateInstrs.Contains(kw) || BlockKeywords.Contains(kw);

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

    // ---- Block and folded instructions ----
    // Tinstrs_, Tblockinstr_ and Tfoldedinstr_ nest as deeply as the input does. Each open construct is a frame on an
    // explicit stack, and the parser steps through its parts (condition, then, else, do, catch) as their delimiters
    // come, so that no input can exhaust the thread's stack: the text format has no nesting limit, like the binary one.

    /// <summary>The part of an open construct whose instructions are being read.</summary>
    private enum Part : byte { Sequence, Operands, Condition, Body, Then, Else, Do, Catch, CatchAll }

    /// <summary>One open construct: the outermost sequence, a folded plain instruction's operands, or a block instruction.</summary>
    private sealed class Open
    {
        public required Part Part;
        public required ImmutableArray<Instr>.Builder Into;   // where the finished instruction goes
        public required ImmutableArray<Instr>.Builder Seq;    // where the instructions of the current part go
        public string Keyword = "";                           // block, loop, if, try_table or try
        public bool Folded;
        public int Start;                                     // the token of a folded instruction's "("
        public string? Label;
        public BlockType Type = ValBlockType.Empty;
        public Instr? Plain;                                  // a folded plain instruction, added after its operands
        public ImmutableArray<Catch> Catches;                 // try_table
        public ImmutableArray<Instr> First;                   // if: the then branch; try: the body, once a later part began
        public ImmutableArray<LegacyCatch>.Builder? Handlers; // try: the catch clauses read so far
        public uint CatchTag;                                 // try: the tag of the catch clause being read
    }

    /// <summary>Tinstrs_(I), or with <paramref name="single"/> one Tfoldedinstr_(I), appended to <paramref name="into"/>.</summary>
    private void Instructions(ImmutableArray<Instr>.Builder into, bool single)
    {
        var open = new Stack<Open>();
        if (single) BeginFolded(into, open);
        else open.Push(new Open { Part = Part.Sequence, Into = into, Seq = into });
        while (open.TryPeek(out var f))
        {
            var t = Peek();
            if (f.Part == Part.Condition)
            {
                // The condition of a folded if: folded instructions only, up to (then.
                if (t.Kind == TokenKind.LParen && !IsForm("then")) BeginFolded(f.Seq, open);
                else EndPart(f, open);
                continue;
            }
            if (t.Kind == TokenKind.LParen)
            {
                var k = Peek(1);
                if (k.Kind == TokenKind.Keyword && IsInstrKeyword(k.Text)) { BeginFolded(f.Seq, open); continue; }
                if (k.Kind == TokenKind.Reserved || (k.Kind == TokenKind.Keyword && !IsKnownKeyword(k.Text))) throw Unexpected(k);
            }
            else if (t.Kind == TokenKind.Keyword && IsInstrKeyword(t.Text)) { BeginUnfolded(f.Seq, open); continue; }
            else if (t.Kind == TokenKind.Reserved || (t.Kind == TokenKind.Keyword && !IsKnownKeyword(t.Text))) throw Unexpected(t);
            // Nothing here starts an instruction: the current part ends.
            EndPart(f, open);
        }
    }

    /// <summary>Tinstr_(I) unfolded: a plain instruction whole, a block instruction up to its body (Tblockinstr_(I)/plain).</summary>
    private void BeginUnfolded(ImmutableArray<Instr>.Builder into, Stack<Open> open)
    {
        var kw = Peek().Text;
        Positioned(pos);
        if (!BlockKeywords.Contains(kw))
        {
            into.Add(PlainInstr());
            return;
        }
        pos++;
        var f = new Open { Part = Part.Body, Into = into, Seq = into, Keyword = kw, Label = Label(), Type = BlockType() };
        if (kw == "try_table") f.Catches = Catches();
        open.Push(f);
        Enter(f, kw switch { "if" => Part.Then, "try" => Part.Do, _ => Part.Body });
    }

    /// <summary>Tfoldedinstr_(I) up to its first part: "(" plaininstr before its operands, "(" block label blocktype before its body.</summary>
    private void BeginFolded(ImmutableArray<Instr>.Builder into, Stack<Open> open)
    {
        int start = pos;
        ExpectLParen();
        var kw = Peek().Text;
        if (!BlockKeywords.Contains(kw))
        {
            // "(" plaininstr instrs ")" is instrs plaininstr: the operands go first, into the same sequence.
            var plain = PlainInstr();
            if (IsRParen)
            {
                // No operands, as for most: the instruction is whole without a frame.
                Positioned(start);
                pos++;
                into.Add(plain);
                return;
            }
            open.Push(new Open { Part = Part.Operands, Into = into, Seq = into, Folded = true, Start = start, Plain = plain });
            return;
        }
        pos++;
        var f = new Open { Part = Part.Body, Into = into, Seq = into, Keyword = kw, Folded = true, Start = start, Label = Label(), Type = BlockType() };
        if (kw != "if") Positioned(start);
        open.Push(f);
        switch (kw)
        {
            case "if":
                // The condition's instructions come before the if, in the enclosing sequence and label context.
                f.Part = Part.Condition;
                break;
            case "try_table":
                f.Catches = Catches();
                Enter(f, Part.Body);
                break;
            case "try": // legacy (try label bt (do instrs) (catch x instrs)* (catch_all instrs)?) or (... (delegate l))
                if (!TryForm("do")) throw Unexpected();
                Enter(f, Part.Do);
                break;
            default:
                Enter(f, Part.Body);
                break;
        }
    }

    /// <summary>Begins a part of <paramref name="f"/> that is a body: its label is bound (Tlabel_(I)) and its instructions collected anew.</summary>
    private void Enter(Open f, Part part)
    {
        f.Part = part;
        labels.Add(f.Label);
        f.Seq = ImmutableArray.CreateBuilder<Instr>();
    }

    /// <summary>The instructions of the current part of <paramref name="f"/> have ended: read its delimiter and go on to the next part, or finish.</summary>
    private void EndPart(Open f, Stack<Open> open)
    {
        switch (f.Part)
        {
            case Part.Sequence:
                open.Pop();
                return;
            case Part.Operands:
                Positioned(f.Start);
                ExpectRParen();
                Finish(f, f.Plain!, open);
                return;
            case Part.Condition:
                Positioned(f.Start);
                if (!TryForm("then")) throw Unexpected();
                Enter(f, Part.Then);
                return;
        }
        labels.RemoveAt(labels.Count - 1);
        var body = f.Seq.ToImmutable();
        if (f.Folded) EndFoldedPart(f, body, open);
        else EndUnfoldedPart(f, body, open);
    }

    // Tblockinstr_(I): "end" id?, "else" id?, "catch" x, "catch_all" and "delegate" l delimit the parts.
    private void EndUnfoldedPart(Open f, ImmutableArray<Instr> body, Stack<Open> open)
    {
        switch (f.Keyword, f.Part)
        {
            case ("if", Part.Then) when IsKeyword("else"):
                pos++; EndLabel(f.Label);
                f.First = body;
                Enter(f, Part.Else);
                return;
            case ("try", Part.Do) when IsKeyword("delegate"):
                pos++;
                Finish(f, new LegacyTryDelegate(f.Type, body, LabelIdx()), open);
                return;
            case ("try", Part.Do or Part.Catch):
                Handler(f, body);
                if (IsKeyword("catch"))
                {
                    pos++;
                    f.CatchTag = Idx(tags);
                    Enter(f, Part.Catch);
                    return;
                }
                if (IsKeyword("catch_all")) { pos++; Enter(f, Part.CatchAll); return; }
                break;
        }
        ExpectKeyword("end"); EndLabel(f.Label);
        Finish(f, Made(f, body), open);
    }

    // Tfoldedinstr_(I): each part is a parenthesised form, "(then ...)", "(else ...)", "(do ...)", "(catch x ...)", "(catch_all ...)", "(delegate l)".
    private void EndFoldedPart(Open f, ImmutableArray<Instr> body, Stack<Open> open)
    {
        switch (f.Keyword, f.Part)
        {
            case ("if", Part.Then):
                ExpectRParen();
                if (TryForm("else")) { f.First = body; Enter(f, Part.Else); return; }
                break;
            case ("if", Part.Else):
                ExpectRParen();
                break;
            case ("try", Part.Do or Part.Catch):
                ExpectRParen();
                if (f.Part == Part.Do && TryForm("delegate"))
                {
                    var l = LabelIdx();
                    ExpectRParen();
                    ExpectRParen();
                    Finish(f, new LegacyTryDelegate(f.Type, body, l), open);
                    return;
                }
                Handler(f, body);
                if (TryForm("catch")) { f.CatchTag = Idx(tags); Enter(f, Part.Catch); return; }
                if (TryForm("catch_all")) { Enter(f, Part.CatchAll); return; }
                break;
            case ("try", Part.CatchAll):
                ExpectRParen();
                break;
        }
        ExpectRParen();
        Finish(f, Made(f, body), open);
    }

    /// <summary>A legacy try's body or catch clause has ended: it is kept until the whole instruction is made.</summary>
    private static void Handler(Open f, ImmutableArray<Instr> body)
    {
        if (f.Part == Part.Do) { f.First = body; f.Handlers = ImmutableArray.CreateBuilder<LegacyCatch>(); }
        else f.Handlers!.Add(new LegacyCatch(f.CatchTag, body));
    }

    /// <summary>The block instruction <paramref name="f"/> makes, <paramref name="last"/> being the instructions of its last part.</summary>
    private static Instr Made(Open f, ImmutableArray<Instr> last) => (f.Keyword, f.Part) switch
    {
        ("block", _) => new Block(f.Type, last),
        ("loop", _) => new Loop(f.Type, last),
        ("try_table", _) => new TryTable(f.Type, f.Catches, last),
        ("if", Part.Then) => new If(f.Type, last, []),
        ("if", _) => new If(f.Type, f.First, last),
        ("try", Part.CatchAll) => new LegacyTry(f.Type, f.First, f.Handlers!.ToImmutable(), last),
        _ => new LegacyTry(f.Type, f.First, f.Handlers!.ToImmutable(), null),
    };

    private static void Finish(Open f, Instr made, Stack<Open> open)
    {
        open.Pop();
        f.Into.Add(made);
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
