using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Cli.Fuzz;

/// <summary>
/// Random valid modules whose runs terminate and whose observable results the spec fixes, for differential testing.
/// Code is numeric (integer SIMD included), over parameters, locals, globals and one exported memory, with structured control (blocks with
/// parameters, br_if, br_table), direct, indirect and tail calls through a table of the functions; loops run on
/// counters of their own, and functions call only earlier functions, so nothing recurses or spins. Left out on purpose,
/// because the spec lets engines differ there: the bits of NaN results (no reinterpret, copysign, float store or float lanes; results
/// are compared as "both NaN"), and memory.grow beyond a small maximum.
/// Each function is exported through a wrapper "fN" whose float results are reinterpreted as integers, so that a peer
/// engine reports them bit for bit.
/// </summary>
internal sealed class ModuleGenerator(int seed)
{
    readonly Random rng = new(seed);

    static readonly NumType[] NumTypes = [NumType.I32, NumType.I64, NumType.F32, NumType.F64];
    static readonly UnOp[] IntUnops = [UnOp.Clz, UnOp.Ctz, UnOp.Popcnt, UnOp.Extend8S, UnOp.Extend16S];
    static readonly UnOp[] FloatUnops = [UnOp.Abs, UnOp.Neg, UnOp.Sqrt, UnOp.Ceil, UnOp.Floor, UnOp.Trunc, UnOp.Nearest];
    static readonly BinOp[] IntBinops =
    [
        BinOp.Add, BinOp.Sub, BinOp.Mul, BinOp.DivS, BinOp.DivU, BinOp.RemS, BinOp.RemU, BinOp.And, BinOp.Or,
        BinOp.Xor, BinOp.Shl, BinOp.ShrS, BinOp.ShrU, BinOp.Rotl, BinOp.Rotr,
    ];
    static readonly BinOp[] FloatBinops = [BinOp.Add, BinOp.Sub, BinOp.Mul, BinOp.Div, BinOp.Min, BinOp.Max];
    static readonly RelOp[] IntRelops = [RelOp.Eq, RelOp.Ne, RelOp.LtS, RelOp.LtU, RelOp.GtS, RelOp.GtU, RelOp.LeS, RelOp.LeU, RelOp.GeS, RelOp.GeU];
    static readonly RelOp[] FloatRelops = [RelOp.Eq, RelOp.Ne, RelOp.Lt, RelOp.Gt, RelOp.Le, RelOp.Ge];

    const int MaxDepth = 5;
    const uint MemoryPages = 1, MemoryMaxPages = 4;

    // The module so far.
    readonly List<FuncType> types = [];
    readonly List<Func> funcs = [];
    readonly List<FuncType> funcTypes = [];
    readonly List<GlobalType> globals = [];

    // The function being generated.
    readonly List<ValType> locals = [];
    readonly HashSet<int> counters = [];
    int ownIndex;
    int funcCount;

    /// <summary>The module: its functions, wrappers "f0".."fN" exported, and the memory exported as "memory".</summary>
    public Module Generate()
    {
        int nglobals = rng.Next(0, 4);
        var globalDefs = ImmutableArray.CreateBuilder<Global>();
        for (int g = 0; g < nglobals; g++)
        {
            var t = Pick(NumTypes);
            var gt = new GlobalType(rng.Next(3) == 0 ? Mut.Const : Mut.Var, ValType.Num(t));
            globals.Add(gt);
            globalDefs.Add(new Global(gt, new Expr([Constant(t)])));
        }

        int nfuncs = funcCount = rng.Next(1, 6);
        for (ownIndex = 0; ownIndex < nfuncs; ownIndex++)
        {
            var ft = new FuncType([.. Types(rng.Next(0, 4))], [.. Types(rng.Next(4) switch { 0 => 0, 3 => 2, _ => 1 })]);
            funcTypes.Add(ft);
            funcs.Add(Function(TypeIndex(ft), ft));
        }

        var exports = ImmutableArray.CreateBuilder<Export>();
        for (int k = 0; k < nfuncs; k++)
        {
            exports.Add(new Export($"f{k}", new ExternIdx(ExternKind.Func, (uint)funcs.Count)));
            funcs.Add(Wrapper(k));
        }
        exports.Add(new Export("memory", new ExternIdx(ExternKind.Mem, 0)));

        var bytes = new byte[rng.Next(0, 64)];
        rng.NextBytes(bytes);
        var data = new Data([.. bytes], new DataActive(0, new Expr([Const.I32(rng.Next(0, 256))])));

        return Module.Empty with
        {
            Types = [.. types.Select(ft => new TypeDef(new RecType([SubType.Plain(ft)])))],
            Globals = globalDefs.ToImmutable(),
            Mems = [new Mem(new MemType(AddrType.I32, new Limits(MemoryPages, MemoryMaxPages)))],
            // The functions in order, then two null entries (for "uninitialized element").
            Tables = [new Table(new TableType(AddrType.I32, new Limits((ulong)nfuncs + 2, (ulong)nfuncs + 2), RefType.FuncRef),
                new Expr([new RefNull(HeapType.Func)]))],
            Elems = [new Elem(RefType.FuncRef, [.. Enumerable.Range(0, nfuncs).Select(f => new Expr([new RefFunc((uint)f)]))],
                new ElemActive(0, new Expr([Const.I32(0)])))],
            Funcs = [.. funcs],
            Datas = [data],
            Exports = exports.ToImmutable(),
        };
    }

    /// <summary>The types of the wrapper's results: f32 and f64 become the integers of their bits.</summary>
    public static ValType AsInteger(ValType t) =>
        t == ValType.F32 ? ValType.I32 : t == ValType.F64 ? ValType.I64 : t;

    IEnumerable<ValType> Types(int n)
    {
        for (int k = 0; k < n; k++) yield return ValType.Num(Pick(NumTypes));
    }

    uint TypeIndex(FuncType ft)
    {
        int k = types.IndexOf(ft);
        if (k < 0) { types.Add(ft); k = types.Count - 1; }
        return (uint)k;
    }

    T Pick<T>(IReadOnlyList<T> xs) => xs[rng.Next(xs.Count)];

    bool Chance(int percent) => rng.Next(100) < percent;

    // ---- Functions ----

    Func Function(uint typeIdx, FuncType ft)
    {
        locals.Clear();
        counters.Clear();
        locals.AddRange(ft.Params);
        for (int k = rng.Next(0, 4); k > 0; k--) locals.Add(ValType.Num(Pick(NumTypes)));
        var body = new List<Instr>();
        for (int k = rng.Next(0, 5); k > 0; k--) Statement(body, 2);
        var tails = EarlierFunctions(f => funcTypes[f].Results.SequenceEqual(ft.Results));
        if (tails.Count > 0 && Chance(25))
        {
            // return_call to an earlier function with the same results
            int f = Pick(tails);
            Arguments(body, f, StatementValueDepth);
            body.Add(new ReturnCall((uint)f));
        }
        else foreach (var t in ft.Results) Value(body, ((NumValType)t).Type, MaxDepth);
        return new Func(typeIdx, [.. locals.Skip(ft.Params.Length).Select(t => new Local(t))], new Expr([.. body]));
    }

    /// <summary>fN: calls function N and returns its results with float bits as integers.</summary>
    Func Wrapper(int k)
    {
        var ft = funcTypes[k];
        var results = ft.Results;
        var wt = new FuncType(ft.Params, [.. results.Select(AsInteger)]);
        var body = new List<Instr>();
        for (int p = 0; p < ft.Params.Length; p++) body.Add(new LocalGet((uint)p));
        body.Add(new Call((uint)k));
        int first = ft.Params.Length;
        for (int r = results.Length - 1; r >= 0; r--) body.Add(new LocalSet((uint)(first + r)));
        for (int r = 0; r < results.Length; r++)
        {
            body.Add(new LocalGet((uint)(first + r)));
            var t = ((NumValType)results[r]).Type;
            if (t is NumType.F32) body.Add(new Cvtop(NumType.I32, NumType.F32, CvtOp.Reinterpret));
            if (t is NumType.F64) body.Add(new Cvtop(NumType.I64, NumType.F64, CvtOp.Reinterpret));
        }
        return new Func(TypeIndex(wt), [.. results.Select(t => new Local(t))], new Expr([.. body]));
    }

    // ---- Statements: instructions that leave the operand stack as they found it ----

    /// <summary>How deep the values in a statement start: statements nest by their own budget.</summary>
    const int StatementValueDepth = 2;

    /// <summary>One statement; <paramref name="depth"/> is how many more levels of statements may nest inside it.</summary>
    void Statement(List<Instr> code, int depth)
    {
        switch (rng.Next(depth > 0 ? 10 : 5))
        {
            case 0:
            case 1:
            {
                var writable = WritableLocals(null);
                if (writable.Count == 0) goto case 4;
                int l = Pick(writable);
                Value(code, ((NumValType)locals[l]).Type, StatementValueDepth);
                code.Add(new LocalSet((uint)l));
                break;
            }
            case 2:
            {
                var mutable = Enumerable.Range(0, globals.Count).Where(g => globals[g].Mut == Mut.Var).ToList();
                if (mutable.Count == 0) goto case 4;
                int g = Pick(mutable);
                Value(code, ((NumValType)globals[g].Type).Type, StatementValueDepth);
                code.Add(new GlobalSet((uint)g));
                break;
            }
            case 3:
            {
                // Only integers are stored: a stored float would let a later load observe NaN bits.
                var t = rng.Next(2) == 0 ? NumType.I32 : NumType.I64;
                Sz? size = t == NumType.I32 ? Pick<Sz?>([null, Sz.S8, Sz.S16]) : Pick<Sz?>([null, Sz.S8, Sz.S16, Sz.S32]);
                int natural = size is { } s ? (int)s / 8 : t == NumType.I32 ? 4 : 8;
                Address(code, StatementValueDepth);
                Value(code, t, StatementValueDepth);
                code.Add(new Store(t, size, 0, MemArgFor(natural)));
                break;
            }
            case 4:
                Value(code, Pick(NumTypes), StatementValueDepth);
                code.Add(Drop.I);
                break;
            case 5:
            {
                // if without results
                Value(code, NumType.I32, StatementValueDepth);
                code.Add(new If(new ValBlockType(null), [.. Statements(depth - 1)], [.. Chance(50) ? Statements(depth - 1) : []]));
                break;
            }
            case 6:
            {
                // A loop that runs 1 to 8 times on a counter no other code writes.
                int c = locals.Count;
                locals.Add(ValType.I32);
                counters.Add(c);
                code.Add(Const.I32(rng.Next(1, 9)));
                code.Add(new LocalSet((uint)c));
                var body = Statements(depth - 1);
                body.AddRange([new LocalGet((uint)c), Const.I32(1), new Binop(NumType.I32, BinOp.Sub), new LocalTee((uint)c), new BrIf(0)]);
                code.Add(new Loop(new ValBlockType(null), [.. body]));
                break;
            }
            case 7:
            {
                // A block left early by br_if.
                var body = Statements(depth - 1);
                Value(body, NumType.I32, StatementValueDepth);
                body.Add(new BrIf(0));
                body.AddRange(Statements(depth - 1));
                code.Add(new Block(new ValBlockType(null), [.. body]));
                break;
            }
            case 9:
            {
                // Three nested blocks left by br_table to any of them.
                var inner = Statements(depth - 1);
                Value(inner, NumType.I32, StatementValueDepth);
                if (Chance(70))
                {
                    inner.Add(Const.I32(3));
                    inner.Add(new Binop(NumType.I32, BinOp.RemU));
                }
                inner.Add(new BrTable([.. Enumerable.Range(0, rng.Next(0, 4)).Select(_ => (uint)rng.Next(0, 3))], (uint)rng.Next(0, 3)));
                var middle = new List<Instr> { new Block(new ValBlockType(null), [.. inner]) };
                middle.AddRange(Statements(depth - 1));
                var outer = new List<Instr> { new Block(new ValBlockType(null), [.. middle]) };
                outer.AddRange(Statements(depth - 1));
                code.Add(new Block(new ValBlockType(null), [.. outer]));
                break;
            }
            default:
                if (Chance(30))
                {
                    code.Add(Const.I32(rng.Next(0, 3)));
                    code.Add(new MemoryGrow(0));
                    code.Add(Drop.I);
                }
                else if (ownIndex > 0)
                {
                    int f = rng.Next(ownIndex);
                    Arguments(code, f, StatementValueDepth);
                    code.Add(new Call((uint)f));
                    foreach (var _ in funcTypes[f].Results) code.Add(Drop.I);
                }
                else code.Add(Nop.I);
                break;
        }
    }

    List<Instr> Statements(int depth)
    {
        var code = new List<Instr>();
        for (int k = rng.Next(0, 3); k > 0; k--) Statement(code, Math.Max(depth, 0));
        return code;
    }

    /// <summary>The functions before this one (the only ones it may call, so that nothing recurses) that satisfy <paramref name="p"/>.</summary>
    List<int> EarlierFunctions(Func<int, bool> p) => Enumerable.Range(0, ownIndex).Where(p).ToList();

    /// <summary>Values for function <paramref name="f"/>'s parameters.</summary>
    void Arguments(List<Instr> code, int f, int depth)
    {
        foreach (var p in funcTypes[f].Params) Value(code, ((NumValType)p).Type, depth);
    }

    /// <summary>The locals code may set (of type <paramref name="t"/>, if given): all but the loop counters.</summary>
    List<int> WritableLocals(ValType? t) =>
        Enumerable.Range(0, locals.Count).Where(l => !counters.Contains(l) && (t is null || locals[l] == t)).ToList();

    // ---- Values: instructions that push one value of type t ----

    void Value(List<Instr> code, NumType t, int depth)
    {
        if (depth >= MaxDepth || Chance(20))
        {
            Leaf(code, t);
            return;
        }
        bool isInt = t is NumType.I32 or NumType.I64;
        if (isInt && Chance(12))
        {
            // an integer of a vector: a lane, a test or a bitmask of integer SIMD code
            Lanes(code, t, depth);
            return;
        }
        switch (rng.Next(13))
        {
            case 0:
                Value(code, t, depth + 1);
                code.Add(new Unop(t, isInt ? Pick(t == NumType.I64 ? [.. IntUnops, UnOp.Extend32S] : IntUnops) : Pick(FloatUnops)));
                break;
            case 1:
            case 2:
            {
                var op = isInt ? Pick(IntBinops) : Pick(FloatBinops);
                Value(code, t, depth + 1);
                Value(code, t, depth + 1);
                if (isInt && op is BinOp.DivS or BinOp.DivU or BinOp.RemS or BinOp.RemU && Chance(70))
                {
                    // mostly a divisor that cannot be zero, so that most divisions compute rather than trap
                    code.Add(t == NumType.I32 ? Const.I32(1) : new Const(NumType.I64, 1));
                    code.Add(new Binop(t, BinOp.Or));
                }
                code.Add(new Binop(t, op));
                break;
            }
            case 3:
                if (t != NumType.I32) goto case 1;
                var s = Pick(NumTypes);
                if (Chance(25) && s is NumType.I32 or NumType.I64)
                {
                    Value(code, s, depth + 1);
                    code.Add(new Testop(s, TestOp.Eqz));
                }
                else
                {
                    Value(code, s, depth + 1);
                    Value(code, s, depth + 1);
                    code.Add(new Relop(s, s is NumType.I32 or NumType.I64 ? Pick(IntRelops) : Pick(FloatRelops)));
                }
                break;
            case 4:
                Conversion(code, t, depth);
                break;
            case 5:
            {
                var (op, natural) = LoadFor(t);
                Address(code, depth);
                code.Add(new Load(t, op, 0, MemArgFor(natural)));
                break;
            }
            case 6:
                Value(code, t, depth + 1);
                Value(code, t, depth + 1);
                Value(code, NumType.I32, depth + 1);
                code.Add(Chance(50) ? new Select(null) : new Select([ValType.Num(t)]));
                break;
            case 7:
            {
                Value(code, NumType.I32, depth + 1);
                var then = new List<Instr>();
                Value(then, t, depth + 1);
                var els = new List<Instr>();
                Value(els, t, depth + 1);
                code.Add(new If(new ValBlockType(ValType.Num(t)), [.. then], [.. els]));
                break;
            }
            case 8:
            {
                // block (result t) with an early exit carrying a value
                var body = new List<Instr>();
                if (Chance(50)) body.AddRange(Statements(1));
                Value(body, t, depth + 1);
                Value(body, NumType.I32, depth + 1);
                body.Add(new BrIf(0));
                body.Add(Drop.I);
                Value(body, t, depth + 1);
                code.Add(new Block(new ValBlockType(ValType.Num(t)), [.. body]));
                break;
            }
            case 9:
            {
                var callees = EarlierFunctions(f => funcTypes[f].Results is [NumValType r] && r.Type == t);
                if (callees.Count == 0) goto case 1;
                int f = Pick(callees);
                Arguments(code, f, depth + 1);
                code.Add(new Call((uint)f));
                break;
            }
            case 11:
            {
                // call_indirect through the table: mostly the entry of an earlier function of the right type, sometimes
                // any earlier entry (maybe of another type) or a null one.
                var callees = EarlierFunctions(f => funcTypes[f].Results is [NumValType r] && r.Type == t);
                if (callees.Count == 0) goto case 1;
                int f = Pick(callees);
                Arguments(code, f, depth + 1);
                switch (rng.Next(10))
                {
                    case 0:
                        Value(code, NumType.I32, depth + 1);
                        code.Add(Const.I32(ownIndex));
                        code.Add(new Binop(NumType.I32, BinOp.RemU));
                        break;
                    case 1: code.Add(Const.I32(funcCount + rng.Next(0, 2))); break;
                    default: code.Add(Const.I32(f)); break;
                }
                code.Add(new CallIndirect(0, TypeIndex(funcTypes[f])));
                break;
            }
            case 12:
            {
                // a block that takes its first operand from the stack: block (param t) (result t)
                var vt = ValType.Num(t);
                Value(code, t, depth + 1);
                var body = new List<Instr>();
                Value(body, t, depth + 1);
                body.Add(new Binop(t, isInt ? Pick(new[] { BinOp.Add, BinOp.Xor, BinOp.Sub }) : Pick(new[] { BinOp.Add, BinOp.Min })));
                code.Add(new Block(new IdxBlockType(TypeIndex(new FuncType([vt], [vt]))), [.. body]));
                break;
            }
            default:
            {
                var writable = WritableLocals(ValType.Num(t));
                if (writable.Count == 0) goto case 1;
                Value(code, t, depth + 1);
                code.Add(new LocalTee((uint)Pick(writable)));
                break;
            }
        }
    }

    // ---- Vectors: integer SIMD only, so that every lane is determined (float lanes would let NaN bits differ) ----

    static readonly Shape[] IntShapes = [Shape.I8x16, Shape.I16x8, Shape.I32x4, Shape.I64x2];

    /// <summary>An i32 or i64 taken from a vector: extract_lane, any_true, all_true or bitmask.</summary>
    void Lanes(List<Instr> code, NumType t, int depth)
    {
        Vector(code, depth + 1);
        if (t == NumType.I64) { code.Add(new VExtractLane(Shape.I64x2, null, (byte)rng.Next(2))); return; }
        var shape = Pick(new[] { Shape.I8x16, Shape.I16x8, Shape.I32x4 });
        switch (rng.Next(5))
        {
            case 0: code.Add(new VVTestop(VVTestOp.AnyTrue)); break;
            case 1: code.Add(new VTestop(Pick(IntShapes), VTestOp.AllTrue)); break;
            case 2: code.Add(new VBitmask(Pick(IntShapes))); break;
            default:
                code.Add(new VExtractLane(shape, shape == Shape.I32x4 ? null : Pick(new[] { Sx.S, Sx.U }), (byte)rng.Next(shape.Dim)));
                break;
        }
    }

    /// <summary>A v128 computed by integer lane operations.</summary>
    void Vector(List<Instr> code, int depth)
    {
        if (depth >= MaxDepth || Chance(25))
        {
            if (Chance(50))
            {
                var bytes = new byte[16];
                rng.NextBytes(bytes);
                if (Chance(30)) Array.Fill(bytes, Pick<byte>([0, 0x80, 0xff, 0x7f]));
                code.Add(new VConst(new V128(BitConverter.ToUInt64(bytes, 0), BitConverter.ToUInt64(bytes, 8))));
            }
            else
            {
                var shape = Pick(IntShapes);
                Value(code, shape == Shape.I64x2 ? NumType.I64 : NumType.I32, depth + 1);
                code.Add(new VSplat(shape));
            }
            return;
        }
        var s = Pick(IntShapes);
        bool narrow = s.Lane is LaneType.I8 or LaneType.I16;
        switch (rng.Next(12))
        {
            case 0:
                Vector(code, depth + 1);
                code.Add(Chance(30) ? new VVUnop(VVUnOp.Not) : s == Shape.I8x16 && Chance(30) ? new VUnop(s, VUnOp.Popcnt) : new VUnop(s, Pick(new[] { VUnOp.Abs, VUnOp.Neg })));
                break;
            case 1:
            case 2:
            {
                var ops = new List<VBinOp> { VBinOp.Add, VBinOp.Sub };
                if (s.Lane != LaneType.I8) ops.Add(VBinOp.Mul);
                if (narrow) ops.AddRange([VBinOp.AddSatS, VBinOp.AddSatU, VBinOp.SubSatS, VBinOp.SubSatU, VBinOp.AvgrU]);
                if (s.Lane != LaneType.I64) ops.AddRange([VBinOp.MinS, VBinOp.MinU, VBinOp.MaxS, VBinOp.MaxU]);
                if (s == Shape.I16x8) ops.Add(VBinOp.Q15MulrSatS);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VBinop(s, Pick(ops)));
                break;
            }
            case 3:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VVBinop(Pick(new[] { VVBinOp.And, VVBinOp.AndNot, VVBinOp.Or, VVBinOp.Xor })));
                break;
            case 4:
            {
                var ops = new List<VRelOp> { VRelOp.Eq, VRelOp.Ne, VRelOp.LtS, VRelOp.GtS, VRelOp.LeS, VRelOp.GeS };
                if (s.Lane != LaneType.I64) ops.AddRange([VRelOp.LtU, VRelOp.GtU, VRelOp.LeU, VRelOp.GeU]);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VRelop(s, Pick(ops)));
                break;
            }
            case 5:
                Vector(code, depth + 1);
                Value(code, NumType.I32, depth + 1);
                code.Add(new VShiftop(s, Pick(new[] { VShiftOp.Shl, VShiftOp.ShrS, VShiftOp.ShrU })));
                break;
            case 6:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(new VVTernop(VVTernOp.Bitselect));
                break;
            case 7:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                if (Chance(50)) code.Add(new VShuffle(Shape.I8x16, [.. Enumerable.Range(0, 16).Select(_ => (byte)rng.Next(32))]));
                else code.Add(new VSwizzlop(Shape.I8x16, VSwizzlOp.Swizzle));
                break;
            case 8:
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(Chance(50) ? new VNarrow(Shape.I8x16, Shape.I16x8, Pick(new[] { Sx.S, Sx.U })) : new VNarrow(Shape.I16x8, Shape.I32x4, Pick(new[] { Sx.S, Sx.U })));
                break;
            case 9:
            {
                var (to, from) = Pick(new[] { (Shape.I16x8, Shape.I8x16), (Shape.I32x4, Shape.I16x8), (Shape.I64x2, Shape.I32x4) });
                Vector(code, depth + 1);
                Vector(code, depth + 1);
                code.Add(to == Shape.I32x4 && Chance(25) ? new VExtbinop(to, from, VExtBinOp.DotS)
                    : new VExtbinop(to, from, Pick(new[] { VExtBinOp.ExtmulLowS, VExtBinOp.ExtmulLowU, VExtBinOp.ExtmulHighS, VExtBinOp.ExtmulHighU })));
                break;
            }
            case 10:
            {
                var (to, from) = Pick(new[] { (Shape.I16x8, Shape.I8x16), (Shape.I32x4, Shape.I16x8) });
                Vector(code, depth + 1);
                code.Add(new VExtunop(to, from, Pick(new[] { VExtUnOp.ExtaddPairwiseS, VExtUnOp.ExtaddPairwiseU })));
                break;
            }
            default:
                Vector(code, depth + 1);
                Value(code, s == Shape.I64x2 ? NumType.I64 : NumType.I32, depth + 1);
                code.Add(new VReplaceLane(s, (byte)rng.Next(s.Dim)));
                break;
        }
    }

    void Leaf(List<Instr> code, NumType t)
    {
        var vt = ValType.Num(t);
        var readable = Enumerable.Range(0, locals.Count).Where(l => locals[l] == vt).ToList();
        var globalsOfT = Enumerable.Range(0, globals.Count).Where(g => globals[g].Type == vt).ToList();
        int choice = rng.Next(10);
        if (choice < 4 && readable.Count > 0) code.Add(new LocalGet((uint)Pick(readable)));
        else if (choice < 5 && globalsOfT.Count > 0) code.Add(new GlobalGet((uint)Pick(globalsOfT)));
        else if (choice < 6 && t == NumType.I32) code.Add(new MemorySize(0));
        else code.Add(Constant(t));
    }

    void Conversion(List<Instr> code, NumType t, int depth)
    {
        (NumType From, CvtOp Op) c = t switch
        {
            NumType.I32 => Pick<(NumType, CvtOp)>(
            [
                (NumType.I64, CvtOp.Wrap), (NumType.F32, CvtOp.TruncS), (NumType.F32, CvtOp.TruncU), (NumType.F64, CvtOp.TruncS),
                (NumType.F64, CvtOp.TruncU), (NumType.F32, CvtOp.TruncSatS), (NumType.F64, CvtOp.TruncSatU),
            ]),
            NumType.I64 => Pick<(NumType, CvtOp)>(
            [
                (NumType.I32, CvtOp.ExtendS), (NumType.I32, CvtOp.ExtendU), (NumType.F32, CvtOp.TruncS), (NumType.F64, CvtOp.TruncU),
                (NumType.F64, CvtOp.TruncSatS), (NumType.F32, CvtOp.TruncSatU),
            ]),
            NumType.F32 => Pick<(NumType, CvtOp)>(
                [(NumType.I32, CvtOp.ConvertS), (NumType.I64, CvtOp.ConvertU), (NumType.F64, CvtOp.Demote)]),
            _ => Pick<(NumType, CvtOp)>(
                [(NumType.I32, CvtOp.ConvertU), (NumType.I64, CvtOp.ConvertS), (NumType.F32, CvtOp.Promote)]),
        };
        // mostly the saturating truncations, so that most conversions compute rather than trap
        if (c.Op is CvtOp.TruncS or CvtOp.TruncU && Chance(60)) c.Op = c.Op == CvtOp.TruncS ? CvtOp.TruncSatS : CvtOp.TruncSatU;
        Value(code, c.From, depth + 1);
        code.Add(new Cvtop(t, c.From, c.Op));
    }

    (LoadOp? Op, int Natural) LoadFor(NumType t) => t switch
    {
        NumType.I32 => Pick<(LoadOp?, int)>([(null, 4), (new LoadOp(Sz.S8, Sx.S), 1), (new LoadOp(Sz.S8, Sx.U), 1), (new LoadOp(Sz.S16, Sx.S), 2), (new LoadOp(Sz.S16, Sx.U), 2)]),
        NumType.I64 => Pick<(LoadOp?, int)>([(null, 8), (new LoadOp(Sz.S8, Sx.U), 1), (new LoadOp(Sz.S16, Sx.S), 2), (new LoadOp(Sz.S32, Sx.S), 4), (new LoadOp(Sz.S32, Sx.U), 4)]),
        NumType.F32 => (null, 4),
        _ => (null, 8),
    };

    /// <summary>An i32 address: mostly masked into the first page, sometimes anything (to reach out-of-bounds traps).</summary>
    void Address(List<Instr> code, int depth)
    {
        Value(code, NumType.I32, depth + 1);
        if (Chance(85))
        {
            code.Add(Const.I32(0xfff));
            code.Add(new Binop(NumType.I32, BinOp.And));
        }
    }

    MemArg MemArgFor(int natural) =>
        new((uint)rng.Next(0, System.Numerics.BitOperations.Log2((uint)natural) + 1), (ulong)(Chance(3) ? 65535 : Pick<int>([0, 0, 1, 3, 8, 16])));

    // ---- Constants ----

    Instr Constant(NumType t) => t switch
    {
        NumType.I32 => Const.I32(Pick<int>([0, 1, -1, 2, 7, 31, 32, int.MinValue, int.MaxValue, 0xff, 0x8000, rng.Next(), -rng.Next()])),
        NumType.I64 => new Const(NumType.I64, (ulong)Pick<long>([0, 1, -1, 63, 64, long.MinValue, long.MaxValue, 0xffff_ffff, rng.NextInt64(), -rng.NextInt64()])),
        NumType.F32 => new Const(NumType.F32, BitConverter.SingleToUInt32Bits(Pick<float>(
            [0f, -0f, 1f, -1f, 0.5f, 1.5f, 2.5f, -2.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon,
             float.MaxValue, 2147483648f, 4294967296f, -2147483904f, (float)(rng.NextDouble() * 1e6 - 5e5)]))),
        _ => new Const(NumType.F64, BitConverter.DoubleToUInt64Bits(Pick<double>(
            [0d, -0d, 1d, -1d, 0.5, 1.5, 2.5, -2.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon,
             double.MaxValue, 2147483648d, 9223372036854775808d, -9223372036854777856d, rng.NextDouble() * 1e12 - 5e11]))),
    };
}
