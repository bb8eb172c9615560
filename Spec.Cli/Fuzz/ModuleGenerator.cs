using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Cli.Fuzz;

/// <summary>
/// Random valid modules whose runs terminate and whose observable results the spec fixes, for differential testing.
/// Functions take and return numbers; inside, code is typed by what it pushes: numbers, vectors (every SIMD lane
/// operation, vector loads and stores), references (functions, tables, GC structs, arrays and i31, casts and the
/// branches on them), over parameters, locals, globals, memories (a second one and 64-bit addresses) and tables, with
/// structured control (blocks with parameters, br, br_if, br_table, return), exceptions thrown and caught (try_table,
/// throw, throw_ref), bulk memory and table operations, direct, indirect, reference and tail calls. Loops run on
/// counters of their own, and functions call only earlier functions (tables the code writes are never called
/// through), so nothing recurses or spins; a throw only happens inside a try_table that catches it.
/// Where the spec lets engines differ, the generator keeps results determined: a NaN whose bits become observable
/// (by reinterpret, a store, a lane, copysign's sign) is first replaced by one constant NaN ("canonicalised"), every
/// float vector result too; relaxed SIMD only runs in probes "rN" whose results are checked against the set the spec
/// allows (<see cref="RelaxedProbe"/>); array lengths and memory.grow stay small.
/// Each function is exported through a wrapper "fN" whose float results are reinterpreted as integers, so that a peer
/// engine reports them bit for bit.
/// </summary>
internal sealed partial class ModuleGenerator(int seed, GeneratorFeatures? features = null)
{
    readonly Random rng = new(seed);
    readonly GeneratorFeatures on = features ?? GeneratorFeatures.All;

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

    // The module so far. Function types come after the GC types (<see cref="GcTypes"/>), at gcTypeCount onwards.
    readonly List<FuncType> types = [];
    readonly List<Func> funcs = [];
    readonly List<FuncType> funcTypes = [];
    readonly List<GlobalType> globals = [];
    /// <summary>Each memory's address type: memory 0, and memory 1 with multi-memory.</summary>
    readonly List<AddrType> mems = [];
    int gcTypeCount;
    bool passiveSegments;

    // The function being generated.
    readonly List<ValType> locals = [];
    readonly HashSet<int> counters = [];
    ImmutableArray<ValType> results;
    int ownIndex;
    int funcCount;

    /// <summary>The module: its functions, wrappers "f0".."fN" and relaxed SIMD probes "r0".. exported, and memory 0
    /// exported as "memory".</summary>
    public Module Generate()
    {
        gcTypeCount = on.Gc ? GcTypes.Length : 0;
        passiveSegments = on.BulkMemory || on.ReferenceTypes || on.Gc;
        mems.Add(on.Memory64 && Chance(40) ? AddrType.I64 : AddrType.I32);
        if (on.MultiMemory && Chance(60)) mems.Add(on.Memory64 && Chance(50) ? AddrType.I64 : AddrType.I32);

        int nglobals = rng.Next(0, 4);
        var globalDefs = ImmutableArray.CreateBuilder<Global>();
        for (int g = 0; g < nglobals; g++)
        {
            var t = Pick(NumTypes);
            var gt = new GlobalType(rng.Next(3) == 0 ? Mut.Const : Mut.Var, ValType.Num(t));
            globals.Add(gt);
            globalDefs.Add(new Global(gt, new Expr([Constant(t)])));
        }
        var tags = on.Exceptions
            ? ImmutableArray.Create(new Tag(new TypeIdx(TypeIndex(new FuncType([ValType.I32], [])))), new Tag(new TypeIdx(TypeIndex(new FuncType([], []))))) 
            : [];

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
        if (on.RelaxedSimd)
            for (int k = rng.Next(0, 4); k > 0; k--)
            {
                exports.Add(new Export($"r{exports.Count}", new ExternIdx(ExternKind.Func, (uint)funcs.Count)));
                funcs.Add(RelaxedProbe.Generate(rng, TypeIndex(RelaxedProbe.Type)));
            }
        exports.Add(new Export("memory", new ExternIdx(ExternKind.Mem, 0)));

        var datas = ImmutableArray.CreateBuilder<Data>();
        var bytes = new byte[rng.Next(0, 64)];
        rng.NextBytes(bytes);
        datas.Add(new Data([.. bytes], new DataActive(0, new Expr([AddressConst(0, rng.Next(0, 256))]))));
        if (passiveSegments)
        {
            var passive = new byte[rng.Next(0, 40)];
            rng.NextBytes(passive);
            datas.Add(new Data([.. passive], DataPassive.I));
        }
        var elems = ImmutableArray.CreateBuilder<Elem>();
        elems.Add(new Elem(RefType.FuncRef, [.. Enumerable.Range(0, nfuncs).Select(f => new Expr([new RefFunc((uint)f)]))],
            new ElemActive(0, new Expr([Const.I32(0)]))));
        if (passiveSegments)
            elems.Add(new Elem(RefType.FuncRef,
                [.. Enumerable.Range(0, rng.Next(0, 6)).Select(_ => new Expr([Chance(20) ? new RefNull(HeapType.Func) : new RefFunc((uint)rng.Next(nfuncs))]))],
                ElemPassive.I));
        var tables = ImmutableArray.CreateBuilder<Table>();
        // The functions in order, then two null entries (for "uninitialized element"); code never writes it.
        tables.Add(new Table(new TableType(AddrType.I32, new Limits((ulong)nfuncs + 2, (ulong)nfuncs + 2), RefType.FuncRef),
            new Expr([new RefNull(HeapType.Func)])));
        // A table code reads, writes and grows, and never calls through.
        if (on.ReferenceTypes)
            tables.Add(new Table(new TableType(AddrType.I32, new Limits(4, 8), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)])));

        return Module.Empty with
        {
            Types = [.. (on.Gc ? GcTypes : []), .. types.Select(ft => new TypeDef(new RecType([SubType.Plain(ft)])))],
            Tags = tags,
            Globals = globalDefs.ToImmutable(),
            Mems = [.. mems.Select(at => new Mem(new MemType(at, new Limits(MemoryPages, MemoryMaxPages))))],
            Tables = tables.ToImmutable(),
            Elems = elems.ToImmutable(),
            Funcs = [.. funcs],
            Datas = datas.ToImmutable(),
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
        return (uint)(gcTypeCount + k);
    }

    T Pick<T>(IReadOnlyList<T> xs) => xs[rng.Next(xs.Count)];

    bool Chance(int percent) => rng.Next(100) < percent;

    /// <summary>A fresh local of type <paramref name="t"/> for code to stash a value in (not a loop counter).</summary>
    int Scratch(ValType t)
    {
        locals.Add(t);
        return locals.Count - 1;
    }

    // ---- Functions ----

    Func Function(uint typeIdx, FuncType ft)
    {
        locals.Clear();
        counters.Clear();
        results = ft.Results;
        locals.AddRange(ft.Params);
        for (int k = rng.Next(0, 4); k > 0; k--) locals.Add(ValType.Num(Pick(NumTypes)));
        if (on.Gc)
        {
            structLocal = Scratch(StructRef);
            arrayLocal = Scratch(Array32Ref);
        }
        var body = new List<Instr>();
        for (int k = rng.Next(0, 5); k > 0; k--) Statement(body, 2);
        var tails = EarlierFunctions(f => funcTypes[f].Results.SequenceEqual(ft.Results));
        if (on.TailCall && tails.Count > 0 && Chance(30))
        {
            // return_call to an earlier function with the same results: directly, through the table or a reference
            int f = Pick(tails);
            Arguments(body, f, StatementValueDepth);
            switch (rng.Next(on.FunctionReferences ? 3 : 2))
            {
                case 0: body.Add(new ReturnCall((uint)f)); break;
                case 1:
                    body.Add(Const.I32(f));
                    body.Add(new ReturnCallIndirect(0, TypeIndex(funcTypes[f])));
                    break;
                default:
                    body.Add(new RefFunc((uint)f));
                    body.Add(new ReturnCallRef(TypeIndex(funcTypes[f])));
                    break;
            }
        }
        else foreach (var t in ft.Results) Value(body, ((NumValType)t).Type, MaxDepth - 1);
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
        switch (rng.Next(depth > 0 ? 16 : 5))
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
                var t = Pick(NumTypes);
                Sz? size = t switch
                {
                    NumType.I32 => Pick<Sz?>([null, Sz.S8, Sz.S16]),
                    NumType.I64 => Pick<Sz?>([null, Sz.S8, Sz.S16, Sz.S32]),
                    _ => null,
                };
                int natural = size is { } s ? (int)s / 8 : t is NumType.I32 or NumType.F32 ? 4 : 8;
                uint mem = PickMem();
                Address(code, StatementValueDepth, mem);
                Value(code, t, StatementValueDepth);
                // A stored NaN's bits become observable to a later load.
                Canonical(code, t);
                code.Add(new Store(t, size, mem, MemArgFor(natural)));
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
                // A block left early by br_if, or by a br in an if.
                var body = Statements(depth - 1);
                Value(body, NumType.I32, StatementValueDepth);
                if (Chance(50)) body.Add(new BrIf(0));
                else body.Add(new If(new ValBlockType(null), [.. Statements(depth - 1), new Br(1)], []));
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
            case 10:
            {
                // An early return, or (rarely) unreachable, under a condition.
                Value(code, NumType.I32, StatementValueDepth);
                var then = new List<Instr>();
                if (Chance(15)) then.Add(Unreachable.I);
                else
                {
                    foreach (var t in results) Value(then, ((NumValType)t).Type, StatementValueDepth);
                    then.Add(Return.I);
                }
                code.Add(new If(new ValBlockType(null), [.. then], []));
                break;
            }
            case 11:
                if (!on.BulkMemory) goto case 4;
                BulkMemory(code);
                break;
            case 12:
                if (!on.ReferenceTypes) goto case 4;
                TableStatement(code);
                break;
            case 13:
            case 14:
                if (!on.Gc) goto case 3;
                GcStatement(code);
                break;
            case 15:
                if (!on.Simd) goto case 3;
                VectorStore(code);
                break;
            default:
                if (Chance(30))
                {
                    uint mem = PickMem();
                    code.Add(AddressConst(mem, rng.Next(0, 3)));
                    code.Add(new MemoryGrow(mem));
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

    /// <summary>The numeric locals code may set (of type <paramref name="t"/>, if given): all but the loop counters.</summary>
    List<int> WritableLocals(ValType? t) =>
        Enumerable.Range(0, locals.Count).Where(l => !counters.Contains(l) && locals[l] is NumValType && (t is null || locals[l] == t)).ToList();

    // ---- Values: instructions that push one value of type t ----

    void Value(List<Instr> code, NumType t, int depth)
    {
        if (depth >= MaxDepth || Chance(20))
        {
            Leaf(code, t);
            return;
        }
        bool isInt = t is NumType.I32 or NumType.I64;
        if (on.Simd && Chance(12))
        {
            // a number of a vector: a lane, a test or a bitmask
            Lanes(code, t, depth);
            return;
        }
        if (Chance(14) && References(code, t, depth)) return;
        switch (rng.Next(14))
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
                if (t != NumType.I32) goto case 10;
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
                uint mem = PickMem();
                Address(code, depth, mem);
                code.Add(new Load(t, op, mem, MemArgFor(natural)));
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
                if (on.FunctionReferences && Chance(30))
                {
                    // call_ref on the function's reference, rarely on a null one
                    code.Add(Chance(5) ? new RefNull(new TypeIdx(TypeIndex(funcTypes[f]))) : new RefFunc((uint)f));
                    code.Add(new CallRef(TypeIndex(funcTypes[f])));
                }
                else code.Add(new Call((uint)f));
                break;
            }
            case 10:
                if (!isInt) goto case 1;
                // a float's bits: reinterpret, of a float whose NaN is canonical (its bits are the result)
                var from = t == NumType.I32 ? NumType.F32 : NumType.F64;
                Value(code, from, depth + 1);
                Canonical(code, from);
                code.Add(new Cvtop(t, from, CvtOp.Reinterpret));
                break;
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
                var op = isInt ? Pick(new[] { BinOp.Add, BinOp.Xor, BinOp.Sub }) : Pick(new[] { BinOp.Add, BinOp.Min, BinOp.Copysign });
                // copysign takes the sign of its second operand's bits: a NaN there must be canonical
                if (op == BinOp.Copysign) Canonical(body, t);
                body.Add(new Binop(t, op));
                code.Add(new Block(new IdxBlockType(TypeIndex(new FuncType([vt], [vt]))), [.. body]));
                break;
            }
            case 13:
                if (isInt) goto default;
                // copysign: the sign comes from the second operand's bits, so its NaN is canonical
                Value(code, t, depth + 1);
                Value(code, t, depth + 1);
                Canonical(code, t);
                code.Add(new Binop(t, BinOp.Copysign));
                break;
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

    /// <summary>Replaces a float NaN on the stack by the one constant NaN (other values stay), so that its bits are
    /// determined: select (nan, x, x != x).</summary>
    void Canonical(List<Instr> code, NumType t)
    {
        if (t is NumType.I32 or NumType.I64) return;
        int x = Scratch(ValType.Num(t));
        code.Add(new LocalSet((uint)x));
        code.Add(t == NumType.F32 ? new Const(NumType.F32, CanonicalNaN32) : new Const(NumType.F64, CanonicalNaN64));
        code.AddRange([new LocalGet((uint)x), new LocalGet((uint)x), new LocalGet((uint)x), new Relop(t, RelOp.Ne), new Select(null)]);
    }

    internal const uint CanonicalNaN32 = 0x7fc0_0000;
    internal const ulong CanonicalNaN64 = 0x7ff8_0000_0000_0000;

    void Leaf(List<Instr> code, NumType t)
    {
        var vt = ValType.Num(t);
        var readable = Enumerable.Range(0, locals.Count).Where(l => locals[l] == vt).ToList();
        var globalsOfT = Enumerable.Range(0, globals.Count).Where(g => globals[g].Type == vt).ToList();
        var memsOfT = Enumerable.Range(0, mems.Count).Where(m => ValType.Of(mems[m]) == vt).ToList();
        int choice = rng.Next(10);
        if (choice < 4 && readable.Count > 0) code.Add(new LocalGet((uint)Pick(readable)));
        else if (choice < 5 && globalsOfT.Count > 0) code.Add(new GlobalGet((uint)Pick(globalsOfT)));
        else if (choice < 6 && memsOfT.Count > 0) code.Add(new MemorySize((uint)Pick(memsOfT)));
        else code.Add(Constant(t));
    }

    static readonly (NumType To, NumType From, CvtOp Op)[] Conversions =
    [
        .. new[] { NumType.I32, NumType.I64 }.SelectMany(to => new[] { NumType.F32, NumType.F64 }.SelectMany(from =>
            new[] { CvtOp.TruncS, CvtOp.TruncU, CvtOp.TruncSatS, CvtOp.TruncSatU }.Select(op => (to, from, op)))),
        .. new[] { NumType.F32, NumType.F64 }.SelectMany(to => new[] { NumType.I32, NumType.I64 }.SelectMany(from =>
            new[] { CvtOp.ConvertS, CvtOp.ConvertU }.Select(op => (to, from, op)))),
        (NumType.I32, NumType.I64, CvtOp.Wrap), (NumType.I64, NumType.I32, CvtOp.ExtendS), (NumType.I64, NumType.I32, CvtOp.ExtendU),
        (NumType.F32, NumType.F64, CvtOp.Demote), (NumType.F64, NumType.F32, CvtOp.Promote),
        (NumType.F32, NumType.I32, CvtOp.Reinterpret), (NumType.F64, NumType.I64, CvtOp.Reinterpret),
    ];

    void Conversion(List<Instr> code, NumType t, int depth)
    {
        var c = Pick(Conversions.Where(c => c.To == t).ToList());
        // mostly the saturating truncations, so that most conversions compute rather than trap
        if (c.Op is CvtOp.TruncS or CvtOp.TruncU && Chance(50)) c.Op = c.Op == CvtOp.TruncS ? CvtOp.TruncSatS : CvtOp.TruncSatU;
        Value(code, c.From, depth + 1);
        code.Add(new Cvtop(t, c.From, c.Op));
    }

    (LoadOp? Op, int Natural) LoadFor(NumType t) => t switch
    {
        NumType.I32 => Pick<(LoadOp?, int)>([(null, 4), (new LoadOp(Sz.S8, Sx.S), 1), (new LoadOp(Sz.S8, Sx.U), 1), (new LoadOp(Sz.S16, Sx.S), 2), (new LoadOp(Sz.S16, Sx.U), 2)]),
        NumType.I64 => Pick<(LoadOp?, int)>([(null, 8), (new LoadOp(Sz.S8, Sx.S), 1), (new LoadOp(Sz.S8, Sx.U), 1), (new LoadOp(Sz.S16, Sx.S), 2),
            (new LoadOp(Sz.S16, Sx.U), 2), (new LoadOp(Sz.S32, Sx.S), 4), (new LoadOp(Sz.S32, Sx.U), 4)]),
        NumType.F32 => (null, 4),
        _ => (null, 8),
    };

    /// <summary>A memory: mostly 0, the second one where there is one.</summary>
    uint PickMem() => mems.Count > 1 && Chance(35) ? 1u : 0u;

    /// <summary>An address in memory <paramref name="mem"/> (of its address type): mostly masked into the first page,
    /// sometimes anything (to reach out-of-bounds traps).</summary>
    void Address(List<Instr> code, int depth, uint mem)
    {
        var at = mems[(int)mem] == AddrType.I64 ? NumType.I64 : NumType.I32;
        Value(code, at, depth + 1);
        if (Chance(85))
        {
            code.Add(at == NumType.I32 ? Const.I32(0xfff) : new Const(NumType.I64, 0xfff));
            code.Add(new Binop(at, BinOp.And));
        }
    }

    /// <summary>A constant of memory <paramref name="mem"/>'s address type.</summary>
    Instr AddressConst(uint mem, int value) => mems[(int)mem] == AddrType.I64 ? new Const(NumType.I64, (ulong)value) : Const.I32(value);

    /// <summary>A small count (of bytes, elements) masked from a value: mostly below 16, so that copies stay in bounds.</summary>
    void Count(List<Instr> code, NumType at, int mask)
    {
        Value(code, at, MaxDepth - 1);
        code.Add(at == NumType.I32 ? Const.I32(mask) : new Const(NumType.I64, (ulong)mask));
        code.Add(new Binop(at, BinOp.And));
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
             float.MaxValue, 2147483648f, 4294967296f, -2147483904f, 9.223372e18f, 1.8446743e19f, -0.99999994f, 1e-45f, 1.1754942e-38f,
             BitConverter.UInt32BitsToSingle(0x7fa0_0001), BitConverter.UInt32BitsToSingle(0xffc0_1234), (float)(rng.NextDouble() * 1e6 - 5e5)]))),
        _ => new Const(NumType.F64, BitConverter.DoubleToUInt64Bits(Pick<double>(
            [0d, -0d, 1d, -1d, 0.5, 1.5, 2.5, -2.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon,
             double.MaxValue, 2147483648d, 9223372036854775808d, -9223372036854777856d, 4294967295.9d, -2147483648.9d, 2.2250738585072009e-308,
             BitConverter.UInt64BitsToDouble(0x7ff4_0000_0000_0001), BitConverter.UInt64BitsToDouble(0xfff8_0000_0000_1234), rng.NextDouble() * 1e12 - 5e11]))),
    };
}
